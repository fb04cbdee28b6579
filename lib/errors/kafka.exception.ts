import { ErrorCode } from './error-codes.js';
import { KafkaError, type KafkaErrorFlags } from './kafka.error.js';

/**
 * The exception every client operation throws or rejects with, carrying a `KafkaError` (confluent_kafka's
 * `KafkaException`, whose `args[0]` is the error).
 * @publicApi
 */
export class KafkaException extends Error {
  readonly error: KafkaError;

  /**
   * @param error a KafkaError, or a code to build one from
   * @param reason detail when `error` is a code
   */
  constructor(error: KafkaError | number, reason?: string, flags?: KafkaErrorFlags, options?: { cause?: unknown }) {
    const err = typeof error === 'number' ? new KafkaError(error, reason, flags) : error;
    super(err.toString(), options);
    this.name = 'KafkaException';
    this.error = err;
  }

  /** Shortcut for `error.code`. */
  get code(): number {
    return this.error.code;
  }
}

/**
 * The producer's local queue is full (`queue.buffering.max.messages` / `.kbytes`): serve delivery reports with
 * `poll()` and retry. The equivalent of confluent_kafka's `BufferError`.
 * @publicApi
 */
export class QueueFullError extends KafkaException {
  constructor(reason = 'Local: Queue full') {
    super(ErrorCode._QUEUE_FULL, reason);
    this.name = 'QueueFullError';
  }
}

/**
 * A configuration property is unknown, or its value has the wrong type or range. Thrown at construction.
 * @publicApi
 */
export class ConfigException extends KafkaException {
  /** The offending property. */
  readonly property: string;

  constructor(property: string, reason: string) {
    super(ErrorCode._INVALID_ARG, `Invalid configuration property "${property}": ${reason}`);
    this.name = 'ConfigException';
    this.property = property;
  }
}
