import type { Message, MessageHeader } from '../../client/message.js';
import type { TimestampType } from '../../client/offsets.js';
import type { KafkaError } from '../../errors/index.js';

/**
 * A consumed message with its key and value deserialized (what confluent_kafka's `DeserializingConsumer`
 * returns). The bytes stay on `message`. `error` is the event's error, or for a message `consume()` could not
 * deserialize, its `_KEY_DESERIALIZATION` / `_VALUE_DESERIALIZATION` error (key and value null then).
 * @publicApi
 */
export class DeserializedMessage<K = unknown, V = unknown> {
  /** The event's error (`_PARTITION_EOF`, …) or the deserialization error; null for a deserialized message. */
  readonly error: KafkaError | null;

  /**
   * @param message the consumed message, bytes as received
   * @param key the deserialized key (null when absent or not deserialized)
   * @param value the deserialized value (null for a tombstone, or when not deserialized)
   * @param decodeError set when the key or value could not be deserialized
   */
  constructor(
    readonly message: Message,
    readonly key: K | null,
    readonly value: V | null,
    decodeError: KafkaError | null = null,
  ) {
    this.error = message.error ?? decodeError;
  }

  get topic(): string {
    return this.message.topic;
  }
  get partition(): number {
    return this.message.partition;
  }
  get offset(): number {
    return this.message.offset;
  }
  get timestamp(): [TimestampType, number] {
    return this.message.timestamp;
  }
  get headers(): MessageHeader[] | null {
    return this.message.headers;
  }
}
