import type * as RdKafka from 'node-rdkafka';

/** node-rdkafka's classes and shapes, under names the client layer uses. @internal */
export type NativeProducer = RdKafka.Producer;
/** @internal */
export type NativeConsumer = RdKafka.KafkaConsumer;
/** @internal */
export type NativeClient = NativeProducer | NativeConsumer;
/** @internal */
export type NativeMessage = RdKafka.Message;
/** @internal */
export type NativeDeliveryReport = RdKafka.DeliveryReport;
/** @internal */
export type NativeTopicPartitionOffset = RdKafka.TopicPartitionOffset;
/** @internal */
export type NativeError = RdKafka.LibrdKafkaError;

/**
 * The node-rdkafka constructors the client layer builds its native clients with. `loadNative()` is the real one;
 * unit tests pass `FakeKafka.binding` (lib/testing) to `Consumer`/`Producer`, so the whole client layer above the
 * addon runs against an in-memory cluster (the seam Nest's transports have in `createClient()`).
 * @internal
 */
export interface NativeBinding {
  readonly KafkaConsumer: new (conf: RdKafka.ConsumerGlobalConfig, topicConf: RdKafka.ConsumerTopicConfig) => NativeConsumer;
  readonly Producer: new (conf: RdKafka.ProducerGlobalConfig, topicConf?: RdKafka.ProducerTopicConfig) => NativeProducer;
}
