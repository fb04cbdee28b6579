import type * as RdKafka from 'node-rdkafka';

/**
 * node-rdkafka's classes and shapes, under names the client layer uses. Not exported by the package, but kept in
 * its typings: the clients' constructors and the test fakes name them.
 */
export type NativeProducer = RdKafka.Producer;
export type NativeConsumer = RdKafka.KafkaConsumer;
export type NativeClient = NativeProducer | NativeConsumer;
export type NativeMessage = RdKafka.Message;
export type NativeDeliveryReport = RdKafka.DeliveryReport;
export type NativeTopicPartitionOffset = RdKafka.TopicPartitionOffset;
export type NativeError = RdKafka.LibrdKafkaError;

/**
 * The node-rdkafka constructors the client layer builds its native clients with. `loadNative()` is the real one;
 * unit tests pass `FakeKafka.binding` (lib/testing) to `Consumer`/`Producer`, so the whole client layer above the
 * addon runs against an in-memory cluster (the seam Nest's transports have in `createClient()`).
 * Kept in the published typings (not exported by the package): the clients' constructors and the fakes name it.
 */
export interface NativeBinding {
  readonly KafkaConsumer: new (conf: RdKafka.ConsumerGlobalConfig, topicConf: RdKafka.ConsumerTopicConfig) => NativeConsumer;
  readonly Producer: new (conf: RdKafka.ProducerGlobalConfig, topicConf?: RdKafka.ProducerTopicConfig) => NativeProducer;
}
