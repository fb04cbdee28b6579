import { ErrorCode } from './error-codes.js';
import { KafkaException } from './kafka.exception.js';

/** Where the failing bytes came from, for logs and error policies. */
export interface SerializationErrorContext {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
}

abstract class SerializationErrorBase extends KafkaException {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;

  protected constructor(code: number, name: string, reason: string, ctx: SerializationErrorContext, cause?: unknown) {
    const where =
      ctx.topic !== undefined
        ? ` (${ctx.topic}${ctx.partition !== undefined ? `[${ctx.partition}]` : ''}${ctx.offset !== undefined ? `@${ctx.offset}` : ''})`
        : '';
    super(code, `${reason}${where}`, undefined, { cause });
    this.name = name;
    this.topic = ctx.topic;
    this.partition = ctx.partition;
    this.offset = ctx.offset;
  }
}

/** A key could not be serialized (`_KEY_SERIALIZATION`). @publicApi */
export class KeySerializationError extends SerializationErrorBase {
  constructor(reason: string, ctx: SerializationErrorContext = {}, cause?: unknown) {
    super(ErrorCode._KEY_SERIALIZATION, 'KeySerializationError', reason, ctx, cause);
  }
}

/** A value could not be serialized (`_VALUE_SERIALIZATION`). @publicApi */
export class ValueSerializationError extends SerializationErrorBase {
  constructor(reason: string, ctx: SerializationErrorContext = {}, cause?: unknown) {
    super(ErrorCode._VALUE_SERIALIZATION, 'ValueSerializationError', reason, ctx, cause);
  }
}

/** A key could not be deserialized (`_KEY_DESERIALIZATION`). @publicApi */
export class KeyDeserializationError extends SerializationErrorBase {
  constructor(reason: string, ctx: SerializationErrorContext = {}, cause?: unknown) {
    super(ErrorCode._KEY_DESERIALIZATION, 'KeyDeserializationError', reason, ctx, cause);
  }
}

/** A value could not be deserialized (`_VALUE_DESERIALIZATION`): a poison message. @publicApi */
export class ValueDeserializationError extends SerializationErrorBase {
  constructor(reason: string, ctx: SerializationErrorContext = {}, cause?: unknown) {
    super(ErrorCode._VALUE_DESERIALIZATION, 'ValueDeserializationError', reason, ctx, cause);
  }
}
