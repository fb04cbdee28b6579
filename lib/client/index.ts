export * from './offsets.js';
export { Message, type MessageHeader, type MessageInit } from './message.js';
export { ThrottleEvent } from './throttle-event.js';
export { TopicPartition, type TopicPartitionInit, type TopicPartitionLike } from './topic-partition.js';
export { ClientState } from './client-state.js';
export type { BrokerMetadata, ClusterMetadata, PartitionMetadata, TopicMetadata } from './cluster-metadata.js';
export type {
  ClientCallbacks,
  ClientConfig,
  ConsumerConfig,
  KafkaLogger,
  LibrdKafkaConsumerProperties,
  LibrdKafkaGlobalProperties,
  LibrdKafkaProducerProperties,
  ProducerConfig,
} from './config/index.js';
export { ConsumerGroupMetadata } from './consumer-group-metadata.js';
export { KafkaClientBase } from './kafka-client.base.js';
export type { DeliveryCallback, ProduceHeaders, ProduceRecord } from './produce-args.js';
export { Producer, type ProduceBatchRecord, type ProducerOptions } from './producer.js';
export { Consumer, type CommitOptions } from './consumer.js';
export type {
  KafkaJsMessageLike,
  KafkaJsProducerRecordLike,
  KafkaJsRecordMetadata,
  TopicPartitionOffsetLike,
  TopicPartitions,
} from './kafkajs-shapes.js';
export type { RebalanceCallbacks } from './consumer-rebalance.js';
export { consistent, fnv1a, murmur2 } from './partitioner.js';
export type { OAuthBearerToken, OAuthBearerTokenProvider } from './oauth-bearer.js';
