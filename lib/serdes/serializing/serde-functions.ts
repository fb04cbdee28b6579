import type { SerializationContext } from '../serialization-context.js';
import type { Deserializer, Serializer } from '../serializer.interface.js';

/** A serializer object (`AvroSerializer`, `JsonSchemaSerializer`, `ProtobufSerializer`, …) or a plain function, as confluent_kafka takes callables. @publicApi */
export type SerializerLike<T = unknown> = Serializer<T> | ((value: T, ctx: SerializationContext) => Buffer | null | Promise<Buffer | null>);
/** A deserializer object or a plain function. @publicApi */
export type DeserializerLike<T = unknown> = Deserializer<T> | ((data: Buffer | null, ctx: SerializationContext) => T | Promise<T>);

/** @internal */
export function toSerializer<T>(s: SerializerLike<T>): Serializer<T> {
  return typeof s === 'function' ? { serialize: s } : s;
}

/** @internal */
export function toDeserializer<T>(d: DeserializerLike<T>): Deserializer<T> {
  return typeof d === 'function' ? { deserialize: d } : d;
}

/**
 * Takes the given keys out of a configuration, so the rest can go to librdkafka (which refuses unknown keys).
 * @internal
 */
export function takeKeys<C extends object, K extends string>(
  config: C,
  keys: readonly K[],
): { taken: Partial<Record<K, unknown>>; rest: C } {
  const taken: Partial<Record<K, unknown>> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config ?? {})) {
    if ((keys as readonly string[]).includes(k)) taken[k as K] = v;
    else rest[k] = v;
  }
  return { taken, rest: rest as C };
}
