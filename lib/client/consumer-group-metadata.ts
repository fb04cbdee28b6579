import type { NativeConsumer } from './native/index.js';

/**
 * Opaque group metadata for `Producer.sendOffsetsToTransaction()` (confluent_kafka's
 * `consumer.consumer_group_metadata()`). node-rdkafka reads it from the consumer itself when the offsets are
 * sent, so this carries the consumer.
 * @publicApi
 */
export class ConsumerGroupMetadata {
  /** @internal */
  constructor(
    readonly groupId: string,
    /** @internal */
    readonly nativeConsumer: NativeConsumer,
  ) {}
}
