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
