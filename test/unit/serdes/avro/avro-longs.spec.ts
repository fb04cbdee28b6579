import { KeySerializationError, ValueSerializationError } from '../../../../lib/index.js';
import { AvroDeserializer, AvroSerializer, frame, MessageField } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/index.js';

const value = { topic: 'longs', field: MessageField.VALUE };
const key = { topic: 'longs', field: MessageField.KEY };
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** The boundaries: ±(2^63-1), -2^63, around ±2^53 and ±2^52, and the value of the bug report. */
const BOUNDARIES = [
  MAX,
  MIN,
  -MAX,
  0n,
  1n,
  -1n,
  SAFE,
  -SAFE,
  SAFE + 1n,
  -SAFE - 1n,
  SAFE + 2n,
  -SAFE - 2n,
  2n ** 52n,
  -(2n ** 52n),
  2n ** 52n + 1n,
  -(2n ** 52n) - 1n,
  -4503599627370497n,
  2n ** 31n,
  -(2n ** 31n) - 1n,
];

/** Avro's long encoding, written out here so the test does not trust the codec under test: zigzag, then a varint. */
function avroLong(n: bigint): Buffer {
  let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}

/** What the 'auto' mode gives: a number when it is a safe integer, the BigInt otherwise. */
const auto = (n: bigint): number | bigint => (n >= -SAFE && n <= SAFE ? Number(n) : n);

describe('Avro longs are exact (mock registry)', () => {
  let registry: MockSchemaRegistryClient;
  beforeEach(() => {
    registry = new MockSchemaRegistryClient();
  });

  it('decodes every boundary long exactly from bytes written by hand, as a number when safe and a BigInt beyond', async () => {
    const id = await registry.register('longs-value', '"long"');
    const de = new AvroDeserializer(registry);
    const big = new AvroDeserializer(registry, undefined, { longs: 'bigint' });
    for (const n of BOUNDARIES) {
      const bytes = frame(id, avroLong(n));
      expect(await de.deserialize(bytes, value)).toBe(auto(n));
      expect(await big.deserialize(bytes, value)).toBe(n);
    }
  });

  it('encodes BigInts and safe numbers to the exact Avro bytes, and each decodes back', async () => {
    const ser = new AvroSerializer(registry, '"long"');
    const de = new AvroDeserializer(registry);
    for (const n of BOUNDARIES) {
      const bytes = (await ser.serialize(n, value))!;
      expect(bytes.subarray(5)).toEqual(avroLong(n));
      expect(await de.deserialize(bytes, value)).toBe(auto(n));
      if (n >= -SAFE && n <= SAFE) expect((await ser.serialize(Number(n), value))!.subarray(5)).toEqual(avroLong(n));
    }
  });

  it('keeps longs exact inside maps, arrays, unions, wrapped unions and keys', async () => {
    const schema = {
      type: 'record',
      name: 'Nested',
      namespace: 'unit.longs',
      fields: [
        { name: 'byName', type: { type: 'map', values: 'long' } },
        { name: 'list', type: { type: 'array', items: { type: 'long' } } },
        { name: 'maybe', type: ['null', 'long'] },
        { name: 'either', type: ['int', 'long'] },
      ],
    };
    const record = { byName: { max: MAX, min: MIN, small: 7 }, list: BOUNDARIES.map(auto), maybe: SAFE + 2n, either: { long: -SAFE - 2n } };
    const bytes = await new AvroSerializer(registry, schema).serialize(record, value);
    expect(await new AvroDeserializer(registry).deserialize(bytes, value)).toEqual(record);
    const keyBytes = await new AvroSerializer(registry, '"long"').serialize(MIN, key);
    expect(await new AvroDeserializer(registry).deserialize(keyBytes, key)).toBe(MIN);
  });

  it('refuses a number beyond ±(2^53-1) and a BigInt beyond the long range with a typed error', async () => {
    const ser = new AvroSerializer(registry, '"long"');
    for (const bad of [2 ** 53, -(2 ** 60), 1.5, MAX + 1n, MIN - 1n]) {
      const err = await ser.serialize(bad, value).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ValueSerializationError);
      expect((err as Error).message).toContain('expected long (a safe-integer number, or a BigInt from -2^63 to 2^63-1)');
    }
    const keyErr = await ser.serialize(2 ** 60, key).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(keyErr).toBeInstanceOf(KeySerializationError);
  });

  it('fills a long default beyond 2^53 exactly when a newer reader resolves older data, and registers its literal', async () => {
    const v1 = '{"type":"record","name":"Acct","fields":[{"name":"id","type":"string"}]}';
    const v2 =
      '{"type":"record","name":"Acct","fields":[{"name":"id","type":"string"},{"name":"limit","type":"long","default":-9223372036854775808}]}';
    const old = await new AvroSerializer(registry, v1).serialize({ id: 'a' }, value);
    expect(await new AvroDeserializer(registry, v2).deserialize(old, value)).toEqual({ id: 'a', limit: MIN });
    const current = await new AvroSerializer(registry, v2).serialize({ id: 'b', limit: MAX }, value);
    expect((await registry.getById(current!.readUInt32BE(1))).schema).toContain('"default":-9223372036854775808');
    const asObject = {
      type: 'record',
      name: 'Acct',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'limit', type: 'long', default: MIN },
      ],
    };
    const viaObject = await new AvroSerializer(registry, asObject).serialize({ id: 'c', limit: 1 }, value);
    expect((await registry.getById(viaObject!.readUInt32BE(1))).schema).toContain('"default":-9223372036854775808}');
  });
});
