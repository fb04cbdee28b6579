import { randomUUID } from 'node:crypto';
import { ValueDeserializationError } from '../../../lib/index.js';
import {
  DeserializingConsumer,
  JsonSchemaDeserializer,
  type JsonSchemaInput,
  JsonSchemaSerializer,
  SchemaRegistryClient,
  SerializingProducer,
} from '../../../lib/serdes/index.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { schemaRegistryUrl } from '../helpers/schema-registry-env.js';
import { createTopic } from '../helpers/topics.js';
import { runSrPeer } from './python-sr-peer.js';
import { compareFields } from './tagged-values.js';

const MAX = 2n ** 63n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** ±(2^63-1), -2^63, ±2^53±1, ±2^52, 0. */
const INTS = [MAX, -MAX, -(2n ** 63n), SAFE, -SAFE, SAFE + 1n, -SAFE - 1n, SAFE + 2n, -SAFE - 2n, 2n ** 52n, -(2n ** 52n) - 1n, 0n];
/** JSON has no NaN or infinities: those are refused (see below); every finite double, -0 included, goes through. */
const DOUBLES = [0.1, -0, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -1074 * 3, 1e-300, 123456.789];
const STRINGS = ['', 'clef 𝄞 and 😀 outside the BMP', 'ü'.repeat(100_000), '"quotes" \\ and \u0000 control \n'];
const auto = (n: bigint): number | bigint => (n >= -SAFE && n <= SAFE ? Number(n) : n);

const MONEY = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Money',
  type: 'object',
  properties: { units: { type: 'integer' }, currency: { type: 'string', minLength: 3 } },
  required: ['units', 'currency'],
};
const properties = {
  id: { type: 'integer' },
  d: { type: 'number' },
  s: { type: 'string' },
  ok: { type: 'boolean' },
  nothing: { type: 'null' },
  tags: { type: 'array', items: { type: 'string' } },
  ints: { type: 'array', items: { type: 'integer' } },
  nested: { type: 'object', properties: { lat: { type: 'number' }, inner: { type: 'object', properties: { n: { type: 'integer' } } } } },
  price: MONEY,
  at: { type: 'string', format: 'date-time' },
};
const V1 = { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Reading', type: 'object', properties, required: ['id', 's'] };
const V2 = { ...V1, properties: { ...properties, label: { type: 'string' } } };

const records = INTS.map((n, i) => ({
  id: auto(n),
  d: DOUBLES[i % DOUBLES.length],
  s: STRINGS[i % STRINGS.length],
  ok: i % 2 === 0,
  nothing: null,
  tags: i % 3 ? [] : ['a', '𝄞'],
  ints: [auto(n), auto(-n - 1n), 0],
  nested: { lat: -DOUBLES[(i + 1) % DOUBLES.length], inner: { n: auto(-n) } },
  price: { units: auto(n), currency: 'EUR' },
  at: '2026-11-28T09:00:00.123Z',
}));

type JsonSchemaNode = { type?: string; properties?: Record<string, JsonSchemaNode>; items?: JsonSchemaNode };
const doubleHex = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(n);
  return b.toString('hex');
};

/** A value as sr_peer.py tags it, by its JSON Schema type: integers as {$int}, numbers as the hex of their double. */
function tagJson(schema: JsonSchemaNode | undefined, v: unknown): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (schema?.type === 'integer') return { $int: String(v) };
  if (schema?.type === 'number') return { $float: doubleHex(v as number) };
  if (Array.isArray(v)) return v.map((x) => tagJson(schema?.items, x));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tagJson(schema?.properties?.[k], x)]));
  return v;
}

function compare(label: string, schema: JsonSchemaNode, expected: unknown[], actual: unknown[]): void {
  const diffs: string[] = [];
  let fields = 0;
  expected.forEach((e, i) => {
    fields += compareFields(tagJson(schema, e), tagJson(schema, actual[i]), `[${i}]`, diffs);
  });
  console.log(`${label}: ${expected.length} records, ${fields} fields compared, ${diffs.length} different`);
  expect(diffs).toEqual([]);
  expect(actual).toHaveLength(expected.length);
}

describe("JSON Schema interop with Confluent's Python client (JSONSerializer/JSONDeserializer) through the registry and broker", () => {
  let registry: SchemaRegistryClient;
  const uid = randomUUID().slice(0, 8);
  const moneySubject = `it-money-${uid}`;
  /** V1 with `price` a reference to the Money subject instead of inline. */
  const withRef = {
    schema: JSON.stringify({ ...V1, properties: { ...properties, price: { $ref: 'money.json' } } }),
    schemaType: 'JSON' as const,
    references: [{ name: 'money.json', subject: moneySubject, version: 1 }],
  };
  beforeAll(async () => {
    registry = new SchemaRegistryClient({ url: schemaRegistryUrl() });
    await registry.register(moneySubject, { schema: JSON.stringify(MONEY), schemaType: 'JSON' });
  });

  async function nodeProduce(topic: string, schema: JsonSchemaInput, values: unknown[]): Promise<void> {
    const producer = new SerializingProducer({
      'bootstrap.servers': bootstrapServers(),
      'value.serializer': new JsonSchemaSerializer(registry, schema),
    });
    await producer.connect();
    try {
      await Promise.all(values.map((value, i) => producer.produceAsync(topic, { key: String(i), value, partition: 0 })));
    } finally {
      await producer.close();
    }
  }

  async function nodeConsume(topic: string, count: number, reader?: JsonSchemaInput) {
    const consumer = new DeserializingConsumer({
      'bootstrap.servers': bootstrapServers(),
      'group.id': `node-${uid}`,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'value.deserializer': new JsonSchemaDeserializer(registry, reader),
    });
    await consumer.connect();
    consumer.consumer.assign([{ topic, partition: 0, offset: 0 }]);
    const out: Array<{ value: unknown; error: unknown }> = [];
    try {
      for (let polls = 0; out.length < count && polls < 60; polls++) {
        const batch = await consumer.consume(count - out.length, 1000);
        out.push(...batch.map((m) => ({ value: m.value, error: m.error })));
      }
    } finally {
      await consumer.close();
    }
    return out;
  }

  it('node → python: every JSON type, integers at ±2^63-1 and around ±2^53, -0 and extreme doubles, long and non-BMP strings, a referenced subject', async () => {
    const topic = uniqueTopic('json-node-to-py');
    await createTopic(topic);
    // The writer schema refers to the Money subject instead of inlining it; Python reads with the inlined V1.
    await nodeProduce(topic, withRef, records);
    const { records: got, errors } = await runSrPeer('json-consume', { topic, count: records.length, schema: JSON.stringify(V1) });
    expect(errors).toEqual([]);
    compare(
      'json node→python',
      V1,
      records.map((r) => tagJson(V1, r)),
      got.map((g) => g),
    );
  });

  it('python → node: the same values back exactly (BigInt beyond 2^53), validated on read against a reader schema with references', async () => {
    const topic = uniqueTopic('json-py-to-node');
    await createTopic(topic);
    await runSrPeer('json-produce', { topic, schema: JSON.stringify(V1), records: records.map((r) => tagJson(V1, r)) });
    const got = await nodeConsume(topic, records.length, withRef);
    expect(got.map((g) => g.error)).toEqual(records.map(() => null));
    compare(
      'json python→node',
      V1,
      records,
      got.map((g) => g.value),
    );
  });

  it('evolution: python reads with a newer schema than node wrote; node reads with an older reader than python wrote', async () => {
    const older = uniqueTopic('json-evo-old');
    const newer = uniqueTopic('json-evo-new');
    await Promise.all([createTopic(older), createTopic(newer)]);
    await nodeProduce(older, V1, records.slice(0, 4));
    const py = await runSrPeer('json-consume', { topic: older, count: 4, schema: JSON.stringify(V2) });
    compare(
      'json evolution node(v1)→python(v2)',
      V2,
      records.slice(0, 4).map((r) => tagJson(V2, r)),
      py.records,
    );
    const labelled = records.slice(0, 4).map((r, i) => ({ ...r, label: `v2-${i}-😀` }));
    await runSrPeer('json-produce', { topic: newer, schema: JSON.stringify(V2), records: labelled.map((r) => tagJson(V2, r)) });
    const got = await nodeConsume(newer, 4, V1);
    compare(
      'json evolution python(v2)→node(v1 reader)',
      V2,
      labelled,
      got.map((g) => g.value),
    );
  });

  it("refuses Python's NaN and Infinity (not JSON) with a typed error naming topic, offset and schema id, and keeps reading", async () => {
    const topic = uniqueTopic('json-py-nan');
    await createTopic(topic);
    const doubles = [{ $float: 'nan' }, { $float: doubleHex(Infinity) }, { $float: doubleHex(1.5) }];
    await runSrPeer('json-produce', {
      topic,
      schema: JSON.stringify({ title: 'D', type: 'object', properties: { d: { type: 'number' } } }),
      records: doubles.map((d) => ({ d })),
    });
    const got = await nodeConsume(topic, 3);
    expect(got.map((g) => (g.error as { code?: number } | null)?.code ?? null)).toEqual([expect.any(Number), expect.any(Number), null]);
    expect(got[2].value).toEqual({ d: 1.5 });
    const de = new JsonSchemaDeserializer(registry);
    const id = (await registry.getLatestVersion(`${topic}-value`)).id;
    const nan = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), Buffer.from('{"d": NaN}')]);
    nan.writeUInt32BE(id, 1);
    await expect(de.deserialize(nan, { topic, field: 'value', partition: 0, offset: 0 })).rejects.toThrow(ValueDeserializationError);
    await expect(de.deserialize(nan, { topic, field: 'value', partition: 0, offset: 0 })).rejects.toThrow(
      new RegExp(`schema id ${id} does not decode`),
    );
  });
});
