import type { SerializationContext } from './serialization-context.js';

/**
 * Turns a key or value into bytes. May be asynchronous (a Schema Registry lookup); throws a
 * `KeySerializationError`/`ValueSerializationError` (or any error, which the caller wraps in one).
 * @publicApi
 */
export interface Serializer<T = unknown> {
  serialize(value: T, ctx: SerializationContext): Buffer | null | Promise<Buffer | null>;
}

/**
 * Turns bytes back into a key or value. May be asynchronous; throws a `KeyDeserializationError` /
 * `ValueDeserializationError` (or any error, which the caller wraps in one).
 * @publicApi
 */
export interface Deserializer<T = unknown> {
  deserialize(data: Buffer | null, ctx: SerializationContext): T | Promise<T>;
}
