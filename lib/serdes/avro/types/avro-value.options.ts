/**
 * How Avro values map to JavaScript values, for `AvroSerializer` and `AvroDeserializer` (and so for
 * `AvroProducer` and `AvroConsumer`). Both sides of a topic should use the same options.
 * @publicApi
 */
export interface AvroValueOptions {
  /**
   * How longs (and the longs inside maps, arrays, unions and defaults) are decoded; every long is exact:
   * - `'auto'`: a number when it is a safe integer (|n| ≤ 2^53-1), a BigInt beyond that;
   * - `'bigint'`: always a BigInt.
   *
   * Writing accepts a BigInt or a safe-integer number in both modes, from -2^63 to 2^63-1; a number beyond
   * ±(2^53-1) is refused with a serialization error, since it may already have lost digits (pass a BigInt).
   * @default 'auto'
   */
  longs?: 'auto' | 'bigint';
  /**
   * Map Avro logical types to JavaScript types (`true`), or keep their underlying Avro values (`false`):
   * | logical type | decoded as | also written from |
   * |---|---|---|
   * | `timestamp-millis` (long) | `Date` | a safe-integer number or BigInt of ms |
   * | `timestamp-micros` (long) | BigInt of µs since the epoch | a `Date`, a safe-integer number |
   * | `date` (int) | `Date` at 00:00 UTC | an int of days since 1970-01-01 |
   * | `time-millis` (int) | number of ms after midnight | |
   * | `time-micros` (long) | BigInt of µs after midnight | a safe-integer number |
   * | `decimal` (bytes, fixed) | string, exactly `scale` decimals (`"-12.30"`) | |
   * | `uuid` (string) | string | |
   *
   * Values that cannot be represented are refused, never rounded: a decimal with more digits than its
   * precision or scale, a `Date` that is not at midnight for `date`, a time outside 00:00–24:00, a malformed
   * uuid (serialization errors); a timestamp or date beyond a `Date`'s ±8.64e15 ms (deserialization error).
   * With `false`, logical fields read as their longs, ints, strings and Buffers.
   * @default true
   */
  logicalTypes?: boolean;
}

/** The defaults of `AvroValueOptions`, in one place. @internal */
export const AVRO_VALUE_DEFAULTS: Readonly<Required<AvroValueOptions>> = Object.freeze({ longs: 'auto', logicalTypes: true });
