import type { Message, MessageHeader } from '../../client/message.js';
import type { TimestampType } from '../../client/offsets.js';
import type { KafkaError } from '../../errors/index.js';

/**
 * A consumed message with its key and value decoded from Avro (what confluent_kafka.avro's `AvroConsumer`
 * returns). The bytes stay available on `message`. `error` is the event's error (`_PARTITION_EOF`, …) or,
 * for a message `AvroConsumer.consume()` could not decode, the `_KEY_DESERIALIZATION` /
 * `_VALUE_DESERIALIZATION` error; key and value are null then.
 * @publicApi
 */
export class AvroMessage<K = unknown, V = unknown> {
  /** The event's error or the decoding error; null for a decoded message. */
  readonly error: KafkaError | null;

  /**
   * @param message the consumed message, bytes as received
   * @param key the decoded key (null when absent or not decoded)
   * @param value the decoded value (null for a tombstone, or when not decoded)
   * @param decodeError set when the key or value could not be decoded
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
