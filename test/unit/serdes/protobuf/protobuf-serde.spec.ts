import { MissingDependencyError, ValueDeserializationError, ValueSerializationError } from '../../../../lib/index.js';
import { MessageField, ProtobufDeserializer, ProtobufSerializer, topicRecordSubjectNameStrategy } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/mock-schema-registry.client.js';

const ctx = { topic: 'payments', field: MessageField.VALUE };
const PAYMENT = `
syntax = "proto3";
package it.pay;
import "google/protobuf/timestamp.proto";
message Payment {
  int64 amount_minor = 1;
  uint64 big = 2;
  sint64 delta = 3;
  int32 small = 4;
  double ratio = 5;
  float f = 6;
  string note = 7;
  bytes blob = 8;
  bool ok = 9;
  Status status = 10;
  repeated int64 history = 11;
  map<string, sint64> by_name = 12;
  Line line = 13;
  google.protobuf.Timestamp at = 14;
  oneof method { string card = 15; string iban = 16; }
  message Line { fixed64 sku = 1; Inner inner = 2; message Inner { sfixed64 n = 1; } }
  enum Status { UNKNOWN = 0; PAID = 1; }
}
message Refund { string id = 1; }
`;
const value = {
  amount_minor: 2n ** 63n - 1n,
  big: 2n ** 64n - 1n,
  delta: -(2n ** 63n),
  small: -(2 ** 31),
  ratio: Number.NaN,
  f: 0.5,
  note: '𝄞 😀',
  blob: Buffer.from([0, 255]),
  ok: true,
  status: 'PAID',
  history: [2n ** 53n + 1n, -(2n ** 53n) - 1n],
  by_name: { a: 5n },
  line: { sku: 2n ** 64n - 2n, inner: { n: -1n } },
  at: { seconds: 253402300799n, nanos: 999999999 },
  card: '4111',
};

describe('ProtobufSerializer / ProtobufDeserializer (mock registry)', () => {
  let registry: MockSchemaRegistryClient;
  beforeEach(() => {
    registry = new MockSchemaRegistryClient();
  });

  it('round-trips every scalar exactly (int64/uint64 extremes as BigInt, NaN, non-BMP text), the [0] index as one 0 byte', async () => {
    const bytes = (await new ProtobufSerializer(registry, PAYMENT).serialize(value, ctx))!;
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 0, 0, 1, 0]);
    const got = await new ProtobufDeserializer(registry).deserialize(bytes, ctx);
    expect(got).toEqual({ ...value, method: 'card' });
    const asStrings = (await new ProtobufDeserializer(registry, undefined, { longs: 'string' }).deserialize(bytes, ctx)) as Record<
      string,
      unknown
    >;
    expect([asStrings.amount_minor, asStrings.big, asStrings.delta]).toEqual([
      '9223372036854775807',
      '18446744073709551615',
      '-9223372036854775808',
    ]);
  });

  it('writes nested and non-first messages with their message-index path as zig-zag varints', async () => {
    const inner = (await new ProtobufSerializer(registry, PAYMENT, { messageType: 'it.pay.Payment.Line.Inner' }).serialize(
      { n: 7n },
      ctx,
    ))!;
    expect([...inner.subarray(5, 9)]).toEqual([6, 0, 0, 0]); // count 3, path [0, 0, 0]
    const refund = (await new ProtobufSerializer(registry, PAYMENT, { messageType: 'it.pay.Refund' }).serialize({ id: 'r1' }, ctx))!;
    expect([...refund.subarray(5, 7)]).toEqual([2, 2]); // count 1, path [1]
    expect(await new ProtobufDeserializer(registry).deserialize(inner, ctx)).toEqual({ n: 7n });
    expect(await new ProtobufDeserializer(registry).deserialize(refund, ctx)).toEqual({ id: 'r1' });
  });

  it("reads and writes confluent_kafka < 1.8's plain-varint message indexes with use.deprecated.format", async () => {
    const conf = { messageType: 'it.pay.Payment.Line.Inner', 'use.deprecated.format': true };
    const inner = (await new ProtobufSerializer(registry, PAYMENT, conf).serialize({ n: 7n }, ctx))!;
    expect([...inner.subarray(5, 9)]).toEqual([3, 0, 0, 0]); // count 3, path [0, 0, 0], unsigned
    expect(await new ProtobufDeserializer(registry, undefined, { 'use.deprecated.format': true }).deserialize(inner, ctx)).toEqual({
      n: 7n,
    });
    const refund = (await new ProtobufSerializer(registry, PAYMENT, {
      messageType: 'it.pay.Refund',
      'use.deprecated.format': true,
    }).serialize({ id: 'r' }, ctx))!;
    expect([...refund.subarray(5, 7)]).toEqual([1, 1]);
    // Read as zig-zag, [1, 1] is a count of -1: refused, not misread.
    await expect(new ProtobufDeserializer(registry).deserialize(refund, ctx)).rejects.toThrow(/message index count -1 is not valid/);
  });

  it.each([
    [{ small: 2 ** 31 }, /small: 2147483648 is out of range for int32/],
    [{ big: -1n }, /big: -1n is out of range for uint64/],
    [{ amount_minor: 2n ** 63n }, /out of range for int64/],
    [{ amount_minor: 1.5 }, /is not an integer/],
    [{ f: 0.1 }, /f: 0.1 is not exactly representable as a float/],
    [{ nope: 1 }, /has no field "nope"/],
    [{ card: 'a', iban: 'b' }, /oneof members card, iban are all set/],
    [{ status: 'LOST' }, /not a value of enum it.pay.Payment.Status/],
    [{ note: '\ud800' }, /lone surrogate/],
    [{ line: { inner: { n: 'x' } } }, /line.inner.n: "x" is not an integer/],
  ])('refuses %p instead of changing it', async (bad, why) => {
    await expect(new ProtobufSerializer(registry, PAYMENT).serialize(bad, ctx)).rejects.toThrow(why);
    await expect(new ProtobufSerializer(registry, PAYMENT).serialize(bad, ctx)).rejects.toBeInstanceOf(ValueSerializationError);
  });

  it('resolves imports from referenced subjects (and their own references); topic-record strategy uses the full name', async () => {
    const money = 'syntax = "proto3"; package it.common; message Money { int64 units = 1; string currency = 2; }';
    await registry.register('it/common/money.proto', { schema: money, schemaType: 'PROTOBUF' });
    const line = 'syntax = "proto3"; package it.common; import "it/common/money.proto"; message Line { Money price = 1; }';
    await registry.register('it/common/line.proto', {
      schema: line,
      schemaType: 'PROTOBUF',
      references: [{ name: 'it/common/money.proto', subject: 'it/common/money.proto', version: 1 }],
    });
    const order = 'syntax = "proto3"; package it.shop; import "it/common/line.proto"; message Order { repeated it.common.Line lines = 1; }';
    const schema = {
      schema: order,
      schemaType: 'PROTOBUF' as const,
      references: [{ name: 'it/common/line.proto', subject: 'it/common/line.proto', version: 1 }],
    };
    const ser = new ProtobufSerializer(registry, schema, { 'subject.name.strategy': topicRecordSubjectNameStrategy });
    const v = { lines: [{ price: { units: -(2n ** 62n), currency: 'EUR' } }] };
    const bytes = (await ser.serialize(v, ctx))!;
    expect(await registry.getSubjects()).toContain('payments-it.shop.Order');
    expect(await new ProtobufDeserializer(registry).deserialize(bytes, ctx)).toEqual(v);
  });

  it('decodes with a reader schema newer or older than the writer (fields match by number)', async () => {
    const v1 = 'syntax = "proto3"; package ev; message E { int64 id = 1; }';
    const v2 = 'syntax = "proto3"; package ev; message E { int64 id = 1; string label = 2; }';
    const old = (await new ProtobufSerializer(registry, v1).serialize({ id: 5n }, ctx))!;
    const neu = (await new ProtobufSerializer(registry, v2).serialize({ id: 6n, label: 'x' }, { ...ctx, topic: 'other' }))!;
    expect(await new ProtobufDeserializer(registry, v2).deserialize(old, ctx)).toEqual({ id: 5n, label: '' });
    expect(await new ProtobufDeserializer(registry, v1).deserialize(neu, ctx)).toEqual({ id: 6n });
  });

  it('rejects bad frames, indexes, unknown ids and truncated bodies with typed errors naming the schema id', async () => {
    const bytes = (await new ProtobufSerializer(registry, PAYMENT).serialize(value, ctx))!;
    const de = new ProtobufDeserializer(registry);
    await expect(de.deserialize(bytes.subarray(0, bytes.length - 3), { ...ctx, partition: 1, offset: 4 })).rejects.toMatchObject({
      name: 'ValueDeserializationError',
      message: expect.stringMatching(/does not decode as it.pay.Payment \(schema id 1\)/),
      offset: 4,
    });
    await expect(de.deserialize(Buffer.from([0, 0, 0, 0, 1, 2, 10]), ctx)).rejects.toThrow(
      /schema id 1: message index 5 is beyond the 2 top-level/,
    );
    await expect(de.deserialize(Buffer.from([0, 0, 0, 0, 42, 0, 8, 1]), ctx)).rejects.toThrow(/schema id 42: unknown schema id 42/);
    await expect(de.deserialize(Buffer.from([0, 0, 0, 0, 1, 0x80]), ctx)).rejects.toBeInstanceOf(ValueDeserializationError);
    // protobufjs alone would decode these as "4" and as two replacement-free garbage characters
    const card = Buffer.from([0, 0, 0, 0, 1, 0, 0x7a, 4, 0x34]);
    await expect(de.deserialize(card, ctx)).rejects.toThrow(/does not decode as it.pay.Payment/);
    await expect(de.deserialize(Buffer.from([0, 0, 0, 0, 1, 0, 0x3a, 2, 0xc3, 0x28]), ctx)).rejects.toThrow(
      /does not decode.*not valid|encoded data was not valid/,
    );
  });

  it('fails construction with MissingDependencyError naming protobufjs when it is not installed', () => {
    const missing = (name: string) => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => new ProtobufSerializer(registry, PAYMENT, {}, missing)).toThrow(MissingDependencyError);
    expect(() => new ProtobufDeserializer(registry, undefined, {}, missing)).toThrow(/needs the optional package "protobufjs"/);
  });
});
