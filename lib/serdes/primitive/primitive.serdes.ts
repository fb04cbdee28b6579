import { deserializationError, type LocatedSerializationContext, serializationError } from '../avro/serde-error.util.js';
import type { SerializationContext } from '../serialization-context.js';
import type { Deserializer, Serializer } from '../serializer.interface.js';

/**
 * confluent_kafka.serialization's `StringSerializer('utf_8')`: a string as UTF-8 bytes. A lone surrogate has
 * no UTF-8 form (Buffer.from would write U+FFFD): it is refused. Null gives null.
 * @publicApi
 */
export class StringSerializer implements Serializer<string> {
  serialize(value: string | null | undefined, ctx: SerializationContext): Buffer | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') throw serializationError(ctx, `StringSerializer takes a string, got ${typeof value}`);
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.toString('utf8') !== value) throw serializationError(ctx, 'the string holds a lone surrogate: it has no UTF-8 form');
    return bytes;
  }
}

/** `StringDeserializer('utf_8')`: invalid UTF-8 is an error, not replacement characters. @publicApi */
export class StringDeserializer implements Deserializer<string | null> {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  deserialize(data: Buffer | null, ctx: LocatedSerializationContext): string | null {
    if (data === null || data === undefined) return null;
    try {
      return this.utf8.decode(data);
    } catch (e) {
      throw deserializationError(ctx, `${data.length} byte(s) are not valid UTF-8`, e);
    }
  }
}

/** `IntegerSerializer`: a 32-bit signed big-endian integer (Python's `struct '>i'`); others are refused. @publicApi */
export class IntegerSerializer implements Serializer<number> {
  serialize(value: number | null | undefined, ctx: SerializationContext): Buffer | null {
    if (value === null || value === undefined) return null;
    if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 31 - 1)
      throw serializationError(ctx, `${String(value)} is not a 32-bit signed integer`);
    const out = Buffer.alloc(4);
    out.writeInt32BE(value);
    return out;
  }
}

/** `IntegerDeserializer`: exactly 4 bytes, big-endian signed. @publicApi */
export class IntegerDeserializer implements Deserializer<number | null> {
  deserialize(data: Buffer | null, ctx: LocatedSerializationContext): number | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 4) throw deserializationError(ctx, `an integer is 4 bytes, got ${data.length}`);
    return data.readInt32BE(0);
  }
}

/** `DoubleSerializer`: an IEEE-754 double, big-endian (NaN, ±Infinity and -0 kept). @publicApi */
export class DoubleSerializer implements Serializer<number> {
  serialize(value: number | null | undefined, ctx: SerializationContext): Buffer | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'number') throw serializationError(ctx, `DoubleSerializer takes a number, got ${typeof value}`);
    const out = Buffer.alloc(8);
    out.writeDoubleBE(value);
    return out;
  }
}

/** `DoubleDeserializer`: exactly 8 bytes. @publicApi */
export class DoubleDeserializer implements Deserializer<number | null> {
  deserialize(data: Buffer | null, ctx: LocatedSerializationContext): number | null {
    if (data === null || data === undefined) return null;
    if (data.length !== 8) throw deserializationError(ctx, `a double is 8 bytes, got ${data.length}`);
    return data.readDoubleBE(0);
  }
}
