import { type AvroLong, isLong } from '../avro-long.type.js';
import type { ExactLogicalTypeClass } from './exact-logical.type.js';

/** A Date holds ±8.64e15 ms around the epoch (ECMA-262 time values). */
const MAX_DATE_MS = 8.64e15;
const MS_PER_DAY = 86_400_000;
const MICROS_PER_DAY = 86_400_000_000n;

function dateOf(ms: AvroLong, what: string): Date {
  if (!(typeof ms === 'number' ? Math.abs(ms) <= MAX_DATE_MS : ms >= -BigInt(MAX_DATE_MS) && ms <= BigInt(MAX_DATE_MS))) {
    throw new RangeError(
      `${what} ${ms} is outside the range of a JavaScript Date (±8.64e15 ms around 1970-01-01); read it with logicalTypes: false`,
    );
  }
  return new Date(Number(ms));
}

function millisOf(value: unknown): number | undefined {
  if (!(value instanceof Date)) return undefined;
  const ms = value.getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Our date and time logical types, defined on first use on the base from `defineExactLogicalType`.
 * @internal
 */
export function defineTemporalTypes(Base: ExactLogicalTypeClass) {
  /** `timestamp-millis` (long): a Date. @internal */
  class TimestampMillisType extends Base {
    get expectation(): string {
      return 'a valid Date, or a safe-integer number or BigInt of ms since the epoch';
    }
    override _fromValue(ms: AvroLong): Date {
      return dateOf(ms, 'timestamp-millis');
    }
    override _toValue(value: unknown): AvroLong | undefined {
      return millisOf(value) ?? (isLong(value) ? value : undefined);
    }
  }

  /** `timestamp-micros` (long): a BigInt of µs since the epoch (a Date would drop the µs). @internal */
  class TimestampMicrosType extends Base {
    get expectation(): string {
      return 'a BigInt or safe-integer number of µs since the epoch, or a valid Date';
    }
    override _fromValue(us: AvroLong): bigint {
      return BigInt(us);
    }
    override _toValue(value: unknown): AvroLong | undefined {
      const ms = millisOf(value);
      if (ms !== undefined) return BigInt(ms) * 1000n;
      return isLong(value) ? value : undefined;
    }
  }

  /** `date` (int): a Date at 00:00 UTC. @internal */
  class DateType extends Base {
    get expectation(): string {
      return 'a Date at exactly 00:00:00.000 UTC, or an int of days since 1970-01-01';
    }
    override _fromValue(days: number): Date {
      return dateOf(days * MS_PER_DAY, `date of ${days} days, at`);
    }
    override _toValue(value: unknown): number | undefined {
      const ms = millisOf(value);
      // A Date with a time of day is refused rather than truncated to its day.
      if (ms !== undefined) return ms % MS_PER_DAY === 0 ? ms / MS_PER_DAY : undefined;
      return Number.isInteger(value) ? (value as number) : undefined;
    }
  }

  /** `time-millis` (int): ms after midnight, as a number in [0, 86400000). @internal */
  class TimeMillisType extends Base {
    get expectation(): string {
      return 'an integer number of ms after midnight, in [0, 86400000)';
    }
    override _fromValue(ms: number): number {
      return ms;
    }
    override _toValue(value: unknown): number | undefined {
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) < MS_PER_DAY ? (value as number) : undefined;
    }
  }

  /** `time-micros` (long): µs after midnight, as a BigInt in [0, 86400000000). @internal */
  class TimeMicrosType extends Base {
    get expectation(): string {
      return 'a BigInt or safe-integer number of µs after midnight, in [0, 86400000000)';
    }
    override _fromValue(us: AvroLong): bigint {
      return BigInt(us);
    }
    override _toValue(value: unknown): AvroLong | undefined {
      return isLong(value) && BigInt(value) >= 0n && BigInt(value) < MICROS_PER_DAY ? value : undefined;
    }
  }
  return { TimestampMillisType, TimestampMicrosType, DateType, TimeMillisType, TimeMicrosType };
}
