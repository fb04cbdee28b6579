import { randomUUID } from 'node:crypto';
import type * as Protobuf from 'protobufjs';
import protobuf from 'protobufjs';
import {
  DeserializingConsumer,
  type ProtobufDeserializer as ProtobufDeserializerType,
  ProtobufDeserializer,
  ProtobufSerializer,
  type Schema,
  SchemaRegistryClient,
  SerializingProducer,
} from '../../../lib/serdes/index.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { schemaRegistryUrl } from '../helpers/schema-registry-env.js';
import { createTopic } from '../helpers/topics.js';
import { runSrPeer } from './python-sr-peer.js';
import { compareFields } from './tagged-values.js';

const MONEY = 'syntax = "proto3";\npackage it.common;\nmessage Money { int64 units = 1; string currency = 2; }\n';
/** The same files sr_peer.py builds as descriptors; the newer Payment adds `label` (30). */
const payment = (newer: boolean) => `syntax = "proto3";
package it.interop;
import "it/common/money.proto";
import "google/protobuf/timestamp.proto";
message Payment {
  int32 i32 = 1; int64 i64 = 2; uint32 u32 = 3; uint64 u64 = 4; sint32 s32 = 5; sint64 s64 = 6; fixed32 f32 = 7; fixed64 f64 = 8;
  sfixed32 sf32 = 9; sfixed64 sf64 = 10; double d = 11; float fl = 12; bool ok = 13; string s = 14; bytes b = 15;
  Status status = 16; repeated int64 history = 17; map<string, sint64> by_name = 18; Line line = 19; it.common.Money price = 20;
  google.protobuf.Timestamp at = 21;${newer ? '\n  string label = 30;' : ''}
  message Line { fixed64 sku = 1; Inner inner = 2; message Inner { sfixed64 n = 1; } }
  enum Status { UNKNOWN = 0; PAID = 1; }
}
`;

const I64 = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 53n - 1n, 2n ** 52n, 0n, -1n];
const U64 = [2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, 2n ** 53n, 0n, 1n, 2n ** 32n, 4503599627370497n];
const DOUBLES = [Number.NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, Number.MAX_VALUE, 0.1, -1e-300];
/** float32 values (a float field holds these exactly). */
const FLOATS = [Number.NaN, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45, -0.5, 0, 16777216];
const STRINGS = ['', 'clef 𝄞 and 😀 outside the BMP', 'ü'.repeat(100_000), 'plain'];
const BYTES = [Buffer.alloc(0), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(100_000, 0xab), Buffer.from('x')];
const INT32 = [2 ** 31 - 1, -(2 ** 31), 0, -1];
const UINT32 = [2 ** 32 - 1, 0, 1, 2 ** 31];

const records = I64.map((n, i) => ({
  i32: INT32[i % 4],
  i64: n,
  u32: UINT32[i % 4],
  u64: U64[i],
  s32: -INT32[i % 4] - 1,
  s64: -n - 1n,
  f32: UINT32[(i + 1) % 4],
  f64: U64[(i + 3) % 8],
  sf32: INT32[(i + 2) % 4],
  sf64: n,
  d: DOUBLES[i],
  fl: FLOATS[i],
  ok: i % 2 === 0,
  s: STRINGS[i % 4],
  b: BYTES[i % 4],
  status: i % 2 ? 'PAID' : 'UNKNOWN',
  history: i % 3 ? [] : [n, -n - 1n, 0n],
  by_name: i % 2 ? {} : { max: -(2n ** 63n), 'ü😀': n },
  line: i % 4 === 3 ? null : { sku: U64[(i + 5) % 8], inner: { n: -n - 1n } },
  price: { units: n, currency: 'EUR' },
  at: { seconds: i % 2 ? 253402300799n : -62135596800n, nanos: i % 2 ? 999999999 : 0 },
}));

const doubleHex = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(n);
  return b.toString('hex');
};

/** A decoded value as sr_peer.py tags it, by its Protobuf type (ints {$int}, floats hex, bytes hex, enums by name). */
function tagProto(type: Protobuf.Type, v: Record<string, unknown> | null): unknown {
  if (v === null) return null;
  const out: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    f.resolve();
    const one = (x: unknown): unknown => {
      if (f.resolvedType instanceof protobuf.Type) return tagProto(f.resolvedType, x as Record<string, unknown> | null);
      if (f.resolvedType instanceof protobuf.Enum) return x;
      if (f.type === 'double' || f.type === 'float') return { $float: Number.isNaN(x) ? 'nan' : doubleHex(x as number) };
      if (f.type === 'bytes') return { $bytes: Buffer.from(x as Uint8Array).toString('hex') };
      if (f.type === 'string' || f.type === 'bool') return x;
      return { $int: String(x) };
    };
    const v0 = v[f.name];
    if (f instanceof protobuf.MapField) out[f.name] = Object.fromEntries(Object.entries((v0 ?? {}) as object).map(([k, x]) => [k, one(x)]));
    else if (f.repeated) out[f.name] = ((v0 ?? []) as unknown[]).map(one);
    else if (v0 === undefined) out[f.name] = f.resolvedType instanceof protobuf.Type ? null : defaultOf(f);
    else out[f.name] = one(v0);
  }
  return out;
}

function defaultOf(f: Protobuf.Field): unknown {
  if (f.resolvedType instanceof protobuf.Enum) return Object.keys(f.resolvedType.values)[0];
  if (f.type === 'string') return '';
  if (f.type === 'bool') return false;
  if (f.type === 'bytes') return { $bytes: '' };
  if (f.type === 'double' || f.type === 'float') return { $float: doubleHex(0) };
  return { $int: '0' };
}

function compare(label: string, type: Protobuf.Type, expected: unknown[], actual: unknown[], actualTagged = false): void {
  const diffs: string[] = [];
  let fields = 0;
  expected.forEach((e, i) => {
    const a = actualTagged ? actual[i] : tagProto(type, actual[i] as Record<string, unknown>);
    fields += compareFields(tagProto(type, e as Record<string, unknown>), a, `[${i}]`, diffs);
  });
  console.log(`${label}: ${expected.length} records, ${fields} fields compared, ${diffs.length} different`);
  expect(diffs).toEqual([]);
  expect(actual).toHaveLength(expected.length);
}

describe("Protobuf interop with Confluent's Python client (ProtobufSerializer/ProtobufDeserializer) through the registry and broker", () => {
  let registry: SchemaRegistryClient;
  const uid = randomUUID().slice(0, 8);
  const moneySubject = `it-common-money-${uid}`;
  const refs = [{ name: 'it/common/money.proto', subject: moneySubject, version: 1 }];
  const schemaOf = (newer: boolean): Schema => ({ schema: payment(newer), schemaType: 'PROTOBUF', references: refs });
  /** protobufjs's own view of the Payment message, to tag values by type. */
  const typeOf = (newer: boolean) => {
    const root = new protobuf.Root();
    protobuf.parse(MONEY, root, { keepCase: true });
    root.addJSON(protobuf.common.get('google/protobuf/timestamp.proto')!.nested!);
    protobuf.parse(payment(newer), root, { keepCase: true });
    root.resolveAll();
    return root.lookupType('it.interop.Payment');
  };

  beforeAll(async () => {
    registry = new SchemaRegistryClient({ url: schemaRegistryUrl() });
    await registry.register(moneySubject, { schema: MONEY, schemaType: 'PROTOBUF' });
  });

  async function nodeProduce(
    topic: string,
    newer: boolean,
    values: unknown[],
    conf: ConstructorParameters<typeof ProtobufSerializer>[2] = {},
  ): Promise<void> {
    const producer = new SerializingProducer({
      'bootstrap.servers': bootstrapServers(),
      'value.serializer': new ProtobufSerializer(registry, schemaOf(newer), conf),
    });
    await producer.connect();
    try {
      await Promise.all(values.map((value, i) => producer.produceAsync(topic, { key: String(i), value, partition: 0 })));
    } finally {
      await producer.close();
    }
  }

  async function nodeConsume(topic: string, count: number, de: ProtobufDeserializerType): Promise<unknown[]> {
    const consumer = new DeserializingConsumer({
      'bootstrap.servers': bootstrapServers(),
      'group.id': `node-${uid}`,
      'enable.auto.commit': false,
      'value.deserializer': de,
    });
    await consumer.connect();
    consumer.consumer.assign([{ topic, partition: 0, offset: 0 }]);
    const out: unknown[] = [];
    try {
      for (let polls = 0; out.length < count && polls < 60; polls++) {
        for (const m of await consumer.consume(count - out.length, 1000)) {
          if (m.error) throw new Error(`record ${m.offset}: ${String(m.error)}`);
          out.push(m.value);
        }
      }
    } finally {
      await consumer.close();
    }
    return out;
  }

  it('node → python: every scalar type at its edges (int64/uint64 ±2^63, 2^64-1, around 2^53), NaN/±Infinity, nested, map, enum, imported and well-known types', async () => {
    const topic = uniqueTopic('proto-node-to-py');
    await createTopic(topic);
    await nodeProduce(topic, false, records);
    const py = await runSrPeer('proto-consume', { topic, count: records.length, newer: false });
    expect(py.errors).toEqual([]);
    compare('protobuf node→python', typeOf(false), records, py.records, true);
  });

  it('python → node: Python registers its descriptors (and imports) as referenced subjects; node decodes by the writer schema exactly', async () => {
    const topic = uniqueTopic('proto-py-to-node');
    await createTopic(topic);
    const type = typeOf(false);
    await runSrPeer('proto-produce', { topic, newer: false, records: records.map((r) => tagProto(type, r)) });
    const got = await nodeConsume(topic, records.length, new ProtobufDeserializer(registry));
    compare('protobuf python→node', type, records, got);
  });

  it('evolution: python reads with a newer message than node wrote; node reads with an older reader than python wrote', async () => {
    const older = uniqueTopic('proto-evo-old');
    const newer = uniqueTopic('proto-evo-new');
    await Promise.all([createTopic(older), createTopic(newer)]);
    await nodeProduce(older, false, records.slice(0, 4));
    const py = await runSrPeer('proto-consume', { topic: older, count: 4, newer: true });
    compare(
      'protobuf evolution node(v1)→python(v2)',
      typeOf(true),
      records.slice(0, 4).map((r) => ({ ...r, label: '' })),
      py.records,
      true,
    );
    const labelled = records.slice(0, 4).map((r, i) => ({ ...r, label: `v2-${i}-😀` }));
    await runSrPeer('proto-produce', { topic: newer, newer: true, records: labelled.map((r) => tagProto(typeOf(true), r)) });
    const asOlder = await nodeConsume(newer, 4, new ProtobufDeserializer(registry, schemaOf(false)));
    compare('protobuf evolution python(v2)→node(v1 reader)', typeOf(false), records.slice(0, 4), asOlder);
    const asWriter = await nodeConsume(newer, 4, new ProtobufDeserializer(registry));
    compare('protobuf evolution python(v2)→node(writer schema)', typeOf(true), labelled, asWriter);
  });

  it("nested messages (message indexes [0, 0]) in confluent_kafka 1.7's plain-varint index format, both ways, with use.deprecated.format", async () => {
    const line = typeOf(false).lookupType('Line');
    const lines = records.map((r) => r.line ?? { sku: 0n, inner: null });
    const toPy = uniqueTopic('proto-nested-node-to-py');
    const fromPy = uniqueTopic('proto-nested-py-to-node');
    await Promise.all([createTopic(toPy), createTopic(fromPy)]);
    const deprecated = { 'use.deprecated.format': true };
    await nodeProduce(toPy, false, lines, { ...deprecated, messageType: 'it.interop.Payment.Line' });
    const py = await runSrPeer('proto-consume', { topic: toPy, count: lines.length, newer: false, message: 'it.interop.Payment.Line' });
    expect(py.errors).toEqual([]);
    compare('protobuf nested node→python', line, lines, py.records, true);
    await runSrPeer('proto-produce', {
      topic: fromPy,
      newer: false,
      message: 'it.interop.Payment.Line',
      records: lines.map((l) => tagProto(line, l)),
    });
    const got = await nodeConsume(fromPy, lines.length, new ProtobufDeserializer(registry, undefined, deprecated));
    compare('protobuf nested python→node', line, lines, got);
  });
});
