import { ValueDeserializationError, ValueSerializationError } from '../../../../lib/index.js';
import { AvroDeserializer, AvroSerializer, frame, MessageField } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/index.js';

const value = { topic: 'logical', field: MessageField.VALUE };
const logical = (type: string, logicalType: string, extra: Record<string, unknown> = {}) => ({ type, logicalType, ...extra });
const EVENT = {
  type: 'record',
  name: 'Event',
  namespace: 'unit.logical',
  fields: [
    { name: 'at', type: logical('long', 'timestamp-millis') },
    { name: 'atMicros', type: logical('long', 'timestamp-micros') },
    { name: 'day', type: logical('int', 'date') },
    { name: 'time', type: logical('int', 'time-millis') },
    { name: 'timeMicros', type: logical('long', 'time-micros') },
    { name: 'amount', type: logical('bytes', 'decimal', { precision: 38, scale: 9 }) },
    { name: 'price', type: { type: 'fixed', name: 'Price', size: 8, logicalType: 'decimal', precision: 18, scale: 2 } },
    { name: 'id', type: logical('string', 'uuid') },
    { name: 'seen', type: ['null', logical('long', 'timestamp-millis')], default: null },
  ],
};
const event = {
  at: new Date(-8.64e15),
  atMicros: -(2n ** 63n),
  day: new Date('0001-01-01T00:00:00Z'),
  time: 86_399_999,
  timeMicros: 86_399_999_999n,
  amount: '-99999999999999999999999999999.999999999',
  price: '-9999999999999999.99',
  id: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
  seen: new Date('2026-11-28T09:00:00.001Z'),
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof Error)) throw new Error('expected a rejection');
  return e;
}

describe('Avro logical types (mock registry)', () => {
  let registry: MockSchemaRegistryClient;
  beforeEach(() => {
    registry = new MockSchemaRegistryClient();
  });

  it('round-trips every logical type at its extremes to Date, BigInt and decimal strings', async () => {
    const bytes = await new AvroSerializer(registry, EVENT).serialize(event, value);
    expect(await new AvroDeserializer(registry).deserialize(bytes, value)).toEqual(event);
  });

  it('writes the underlying Avro values a Java or Python reader expects', async () => {
    const record = {
      ...event,
      at: new Date(1),
      atMicros: new Date(2),
      day: new Date(86_400_000),
      amount: '1.5',
      price: '-0.01',
      seen: null,
    };
    const raw = (await new AvroDeserializer(registry, undefined, { logicalTypes: false, longs: 'bigint' }).deserialize(
      await new AvroSerializer(registry, EVENT).serialize(record, value),
      value,
    )) as Record<string, unknown>;
    expect(raw.at).toBe(1n);
    expect(raw.atMicros).toBe(2000n);
    expect(raw.day).toBe(1);
    // 1.5 at scale 9 is 1500000000 unscaled (0x59682f00); -0.01 at scale 2 is -1, sign-extended over 8 bytes.
    expect(raw.amount).toEqual(Buffer.from('59682f00', 'hex'));
    expect(raw.price).toEqual(Buffer.from('ffffffffffffffff', 'hex'));
  });

  it('pads a decimal written with fewer decimals and accepts numbers and BigInts for timestamps', async () => {
    const bytes = await new AvroSerializer(registry, EVENT).serialize({ ...event, amount: '7', price: '3.1', at: 5, atMicros: 6 }, value);
    expect(await new AvroDeserializer(registry).deserialize(bytes, value)).toMatchObject({
      amount: '7.000000000',
      price: '3.10',
      at: new Date(5),
      atMicros: 6n,
    });
  });

  it.each([
    ['a decimal with more decimals than its scale', { amount: '0.0000000001' }, 'amount: expected decimal'],
    ['a decimal with more digits than its precision', { price: '1000000000000000000' }, 'price: expected decimal'],
    ['a decimal given as a number', { amount: 1.5 }, 'amount: expected decimal'],
    ['a date with a time of day', { day: new Date('2026-11-28T00:00:00.001Z') }, 'day: expected date: a Date at exactly 00:00:00.000 UTC'],
    ['an invalid Date', { at: new Date(Number.NaN) }, 'at: expected timestamp-millis'],
    ['a time past midnight', { time: 86_400_000 }, 'time: expected time-millis'],
    ['a negative time', { timeMicros: -1n }, 'time: expected time-micros'.replace('time:', 'timeMicros:')],
    ['a malformed uuid', { id: 'f81d4fae7dec11d0a76500a0c91e6bf6' }, 'id: expected uuid'],
  ])('refuses %s with a ValueSerializationError', async (_what, change, reason) => {
    const err = await rejection(new AvroSerializer(registry, EVENT).serialize({ ...event, ...change }, value));
    expect(err).toBeInstanceOf(ValueSerializationError);
    expect(err.message).toContain(reason);
  });

  it('refuses to decode a timestamp a Date cannot hold, and reads it as a long with logicalTypes: false', async () => {
    const id = await registry.register('logical-value', JSON.stringify(logical('long', 'timestamp-millis')));
    const bytes = frame(id, Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])); // 2^63-1
    const err = await rejection(new AvroDeserializer(registry).deserialize(bytes, value));
    expect(err).toBeInstanceOf(ValueDeserializationError);
    expect(err.message).toContain('timestamp-millis 9223372036854775807 is outside the range of a JavaScript Date');
    expect(await new AvroDeserializer(registry, undefined, { logicalTypes: false }).deserialize(bytes, value)).toBe(2n ** 63n - 1n);
  });

  it("decodes with the reader's logical types when writer and reader differ only in them", async () => {
    const plain = {
      type: 'record',
      name: 'Stamp',
      fields: [
        { name: 'at', type: 'long' },
        { name: 'amount', type: 'bytes' },
      ],
    };
    const typed = {
      ...plain,
      fields: [
        { name: 'at', type: logical('long', 'timestamp-millis') },
        { name: 'amount', type: logical('bytes', 'decimal', { precision: 4, scale: 2 }) },
      ],
    };
    await registry.updateCompatibility('NONE');
    const fromPlain = await new AvroSerializer(registry, plain).serialize({ at: 5, amount: Buffer.from([0x7b]) }, value);
    expect(await new AvroDeserializer(registry, typed).deserialize(fromPlain, value)).toEqual({ at: new Date(5), amount: '1.23' });
    const fromTyped = await new AvroSerializer(registry, typed).serialize({ at: new Date(7), amount: '1.23' }, value);
    expect(await new AvroDeserializer(registry, plain).deserialize(fromTyped, value)).toEqual({ at: 7, amount: Buffer.from([0x7b]) });
  });

  it('resolves a writer without a logical type field onto a reader with one, taking its default', async () => {
    const v1 = { type: 'record', name: 'Event', namespace: 'unit.logical', fields: [{ name: 'id', type: logical('string', 'uuid') }] };
    const v2 = {
      ...v1,
      fields: [...v1.fields, { name: 'amount', type: logical('bytes', 'decimal', { precision: 5, scale: 2 }), default: '\u0001\u0000' }],
    };
    const bytes = await new AvroSerializer(registry, v1).serialize({ id: event.id }, value);
    expect(await new AvroDeserializer(registry, v2).deserialize(bytes, value)).toEqual({ id: event.id, amount: '2.56' });
  });
});
