/**
 * The client layer beyond the root's core (Producer, Consumer, Message, TopicPartition, config types), at
 * 'nest-rdkafka/client': partitioners, cluster metadata, transactions' group metadata, throttle events and the
 * kafkajs-shaped arguments the clients also take.
 */
export { ThrottleEvent } from './throttle-event.js';
export type { BrokerMetadata, ClusterMetadata, PartitionMetadata, TopicMetadata } from './cluster-metadata.js';
export { ConsumerGroupMetadata } from './consumer-group-metadata.js';
export { KafkaClientBase } from './kafka-client.base.js';
export type {
  KafkaJsMessageLike,
  KafkaJsProducerRecordLike,
  KafkaJsRecordMetadata,
  TopicPartitionOffsetLike,
  TopicPartitions,
} from './kafkajs-shapes.js';
export { consistent, fnv1a, murmur2 } from './partitioner.js';
