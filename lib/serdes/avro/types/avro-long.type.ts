import type avsc from 'avsc';
import { loadAvsc } from '../load-avsc.js';
import type { AvroValueOptions } from './avro-value.options.js';

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

/** A decoded long: a number when it is a safe integer (in 'auto' mode), a BigInt otherwise. @publicApi */
export type AvroLong = number | bigint;

/** Whether a value can be written as an Avro long without losing anything. @internal */
export function isLong(value: unknown): value is AvroLong {
  if (typeof value === 'bigint') return value >= MIN_LONG && value <= MAX_LONG;
  return Number.isSafeInteger(value);
}

/** An exact long as the mode wants it. */
function decoded(n: bigint, mode: AvroValueOptions['longs']): AvroLong {
  return mode === 'auto' && n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/**
 * avsc's long type for a mode. avsc's default long reads through a double: it silently rounds values in
 * (2^52, 2^53] and refuses larger ones as "potential precision loss". This one reads the 8 bytes avsc unpacks
 * (little-endian two's complement) as a BigInt, so every value from -2^63 to 2^63-1 is exact.
 * @internal
 */
export function avroLongType(mode: Required<AvroValueOptions>['longs']): avsc.Type {
  return loadAvsc().types.LongType.__with({
    fromBuffer: (buf: Buffer): AvroLong => decoded(buf.readBigInt64LE(0), mode),
    toBuffer: (value: AvroLong): Buffer => {
      const buf = Buffer.alloc(8);
      buf.writeBigInt64LE(BigInt(value));
      return buf;
    },
    // Defaults in schemas and ints promoted to longs come this way (bigints from the lossless JSON parse).
    fromJSON: (json: unknown): AvroLong => {
      if (!isLong(json)) throw new Error(`${String(json)} is not an exact Avro long`);
      return decoded(BigInt(json), mode);
    },
    toJSON: (value: AvroLong): AvroLong => value,
    isValid: isLong,
    compare: (a: AvroLong, b: AvroLong): number => {
      const [x, y] = [BigInt(a), BigInt(b)];
      return x < y ? -1 : x > y ? 1 : 0;
    },
  });
}
