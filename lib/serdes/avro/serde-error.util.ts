import {
  type SerializationErrorContext,
  KeyDeserializationError,
  KeySerializationError,
  ValueDeserializationError,
  ValueSerializationError,
} from '../../errors/index.js';
import { MessageField, type SerializationContext } from '../serialization-context.js';

/** The key or value serialization error for this context. @internal */
export function serializationError(
  ctx: SerializationContext,
  reason: string,
  cause?: unknown,
): KeySerializationError | ValueSerializationError {
  const where = { topic: ctx.topic };
  return ctx.field === MessageField.KEY
    ? new KeySerializationError(reason, where, cause)
    : new ValueSerializationError(reason, where, cause);
}

/**
 * A serialization context that may also say where the bytes came from: a consumer passes the partition and
 * offset so that errors name the poison message.
 * @publicApi
 */
export type LocatedSerializationContext = SerializationContext & Partial<SerializationErrorContext>;

/** The key or value deserialization error for this context. @internal */
export function deserializationError(
  ctx: LocatedSerializationContext,
  reason: string,
  cause?: unknown,
): KeyDeserializationError | ValueDeserializationError {
  const where = { topic: ctx.topic, partition: ctx.partition, offset: ctx.offset };
  return ctx.field === MessageField.KEY
    ? new KeyDeserializationError(reason, where, cause)
    : new ValueDeserializationError(reason, where, cause);
}

/** An error's message, for reasons built from lower-level failures. @internal */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
