/**
 * nest-rdkafka: a NestJS microservice transport, client layer and admin for Apache Kafka on librdkafka.
 * The root holds what most applications use: the module, the transport, the producer service, and the client
 * layer's core (Producer, Consumer, Message, TopicPartition, errors, offsets, config types). The rest is behind
 * subpaths, so an application loads and sees only what it imports:
 * - 'nest-rdkafka/admin': AdminClient, RdKafkaAdminService and the admin types;
 * - 'nest-rdkafka/serdes': primitive and Schema Registry serdes (Avro, JSON Schema, Protobuf), the registry
 *   client, SerializingProducer / DeserializingConsumer and the Avro clients;
 * - 'nest-rdkafka/health': the terminus health indicator;
 * - 'nest-rdkafka/metrics': RdKafkaMetrics, the metric names and the librdkafka statistics parser (Prometheus
 *   and OpenTelemetry export, see the `metrics` option);
 * - 'nest-rdkafka/client': the rest of the client layer (partitioners, cluster metadata, kafkajs-shaped arguments);
 * - 'nest-rdkafka/testing': test doubles (FakeKafka, TestServerRdKafka, MockSchemaRegistryClient, ...).
 */
export {
  ConfigException,
  ErrorCode,
  type ErrorCodeName,
  KafkaError,
  type KafkaErrorFlags,
  KafkaException,
  KeyDeserializationError,
  KeySerializationError,
  MissingDependencyError,
  QueueFullError,
  type SerializationErrorContext,
  ValueDeserializationError,
  ValueSerializationError,
} from './errors/index.js';
export * from './client/offsets.js';
export { Message, type MessageHeader, type MessageInit } from './client/message.js';
export { TopicPartition, type TopicPartitionInit, type TopicPartitionLike } from './client/topic-partition.js';
export { ClientState } from './client/client-state.js';
export type {
  ClientCallbacks,
  ClientConfig,
  ConsumerConfig,
  KafkaLogger,
  LibrdKafkaConsumerProperties,
  LibrdKafkaGlobalProperties,
  LibrdKafkaProducerProperties,
  ProducerConfig,
} from './client/config/index.js';
export type { DeliveryCallback, ProduceHeaders, ProduceRecord } from './client/produce-args.js';
export { Producer, type ProduceBatchRecord, type ProducerOptions } from './client/producer.js';
export { Consumer, type CommitOptions } from './client/consumer.js';
export type { RebalanceCallbacks } from './client/consumer-rebalance.js';
export type { OAuthBearerToken, OAuthBearerTokenProvider } from './client/oauth-bearer.js';
export { builtinFeatures, libversion, version } from './version.js';
export * from './transport/index.js';
export * from './module/index.js';
