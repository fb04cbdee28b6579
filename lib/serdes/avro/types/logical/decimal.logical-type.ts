import type avsc from 'avsc';
import type { ExactLogicalTypeClass } from './exact-logical.type.js';

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Big-endian two's complement, as Avro stores a decimal's unscaled value. */
function fromTwosComplement(buf: Buffer): bigint {
  if (buf.length === 0) return 0n;
  const n = BigInt(`0x${buf.toString('hex')}`);
  return buf[0] & 0x80 ? n - (1n << BigInt(buf.length * 8)) : n;
}

/** The shortest encoding, or exactly `size` bytes (sign-extended); undefined when it does not fit. */
function toTwosComplement(n: bigint, size?: number): Buffer | undefined {
  let len = 1;
  while (n < -(1n << BigInt(8 * len - 1)) || n >= 1n << BigInt(8 * len - 1)) len++;
  if (size !== undefined) {
    if (len > size) return undefined;
    len = size;
  }
  const unsigned = n < 0n ? (1n << BigInt(8 * len)) + n : n;
  return Buffer.from(unsigned.toString(16).padStart(len * 2, '0'), 'hex');
}

/** Decimal digits the unscaled value of a fixed of `size` bytes can always hold (the spec's limit). */
function maxPrecision(size: number): number {
  return ((1n << BigInt(8 * size - 1)) - 1n).toString().length - 1;
}

/**
 * Our `decimal` logical type, defined on first use on the base from `defineExactLogicalType`.
 * @internal
 */
export function defineDecimalType(Base: ExactLogicalTypeClass) {
  /**
   * `decimal` (bytes or fixed): a string with exactly `scale` decimals (`"-1234.50"`), so no digit is lost to
   * a double. Writing takes such a string; fewer decimals are padded with zeros, more decimals or more digits
   * than the precision are refused (rounding would change the value). Invalid parameters make avsc fall back
   * to the underlying type, as the spec says.
   * @internal
   */
  class DecimalType extends Base {
    readonly precision: number;
    readonly scale: number;
    readonly size?: number;

    constructor(schema: avsc.Schema, opts?: unknown) {
      super(schema, opts);
      const { precision, scale = 0 } = schema as { precision?: unknown; scale?: unknown };
      if (!Number.isInteger(precision) || (precision as number) < 1) throw new Error(`invalid decimal precision ${String(precision)}`);
      if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number))
        throw new Error(`invalid decimal scale ${String(scale)}`);
      const under = this.underlyingType as avsc.Type & { size?: number };
      if (under.typeName === 'fixed' && (precision as number) > maxPrecision(under.size!)) {
        throw new Error(`decimal precision ${String(precision)} does not fit a fixed of ${under.size} bytes`);
      }
      this.precision = precision as number;
      this.scale = scale as number;
      this.size = under.typeName === 'fixed' ? under.size : undefined;
    }

    get expectation(): string {
      return `a decimal string with at most ${this.precision} digits, ${this.scale} of them after the point (e.g. "${(0).toFixed(this.scale)}")`;
    }

    override _fromValue(buf: Buffer): string {
      const unscaled = fromTwosComplement(buf);
      const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(this.scale + 1, '0');
      const text = this.scale ? `${digits.slice(0, -this.scale)}.${digits.slice(-this.scale)}` : digits;
      return unscaled < 0n ? `-${text}` : text;
    }

    override _toValue(value: unknown): Buffer | undefined {
      const m = typeof value === 'string' ? DECIMAL.exec(value) : null;
      if (!m || (m[3] ?? '').length > this.scale) return undefined;
      const unscaled = BigInt(`${m[1]}${m[2]}${(m[3] ?? '').padEnd(this.scale, '0')}`);
      if ((unscaled < 0n ? -unscaled : unscaled).toString().length > this.precision) return undefined;
      return toTwosComplement(unscaled, this.size);
    }

    override _export(attrs: avsc.Schema): void {
      Object.assign(attrs, { precision: this.precision, scale: this.scale });
    }

    override sameAs(writer: avsc.Type): boolean {
      return (
        writer instanceof DecimalType && writer.precision === this.precision && writer.scale === this.scale && writer.size === this.size
      );
    }
  }
  return DecimalType;
}
