import { KeyDeserializationError, ValueSerializationError } from '../../../lib/index.js';
import {
  DoubleDeserializer,
  DoubleSerializer,
  IntegerDeserializer,
  IntegerSerializer,
  MessageField,
  StringDeserializer,
  StringSerializer,
} from '../../../lib/serdes/index.js';

const ctx = { topic: 't', field: MessageField.VALUE };
const key = { topic: 't', field: MessageField.KEY, partition: 1, offset: 5 };

describe("confluent_kafka.serialization's String/Integer/Double serdes", () => {
  it('round-trip exactly, with the bytes Python writes', () => {
    expect(new StringSerializer().serialize('ü😀', ctx)).toEqual(Buffer.from([0xc3, 0xbc, 0xf0, 0x9f, 0x98, 0x80]));
    expect(new StringDeserializer().deserialize(Buffer.from('ü😀'), ctx)).toBe('ü😀');
    expect(new IntegerSerializer().serialize(-2, ctx)).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    for (const n of [2 ** 31 - 1, -(2 ** 31), 0])
      expect(new IntegerDeserializer().deserialize(new IntegerSerializer().serialize(n, ctx), ctx)).toBe(n);
    for (const d of [Number.NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, 0.1]) {
      expect(Object.is(new DoubleDeserializer().deserialize(new DoubleSerializer().serialize(d, ctx), ctx), d)).toBe(true);
    }
    expect(new StringSerializer().serialize(null, ctx)).toBeNull();
  });

  it('refuses what would change: lone surrogates, out-of-range ints, invalid UTF-8, wrong sizes', () => {
    expect(() => new StringSerializer().serialize('\ud800', ctx)).toThrow(ValueSerializationError);
    expect(() => new IntegerSerializer().serialize(2 ** 31, ctx)).toThrow(/not a 32-bit signed integer/);
    expect(() => new IntegerSerializer().serialize(1.5, ctx)).toThrow(ValueSerializationError);
    expect(() => new StringDeserializer().deserialize(Buffer.from([0xc3, 0x28]), key)).toThrow(KeyDeserializationError);
    expect(() => new IntegerDeserializer().deserialize(Buffer.alloc(3), key)).toThrow(/4 bytes, got 3/);
    expect(() => new DoubleDeserializer().deserialize(Buffer.alloc(9), ctx)).toThrow(/8 bytes, got 9/);
  });
});
