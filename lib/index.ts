/**
 * nest-rdkafka: a NestJS microservice transport, client layer and admin for Apache Kafka on librdkafka.
 * This barrel is the package's public entry; test doubles (FakeKafka, TestServerRdKafka, ...) are at 'nest-rdkafka/testing'.
 */
export {
  ErrorCode,
  type ErrorCodeName,
  ConfigException,
  KafkaError,
  type KafkaErrorFlags,
  KafkaException,
  QueueFullError,
  KeyDeserializationError,
  KeySerializationError,
  type SerializationErrorContext,
  ValueDeserializationError,
  ValueSerializationError,
} from './errors/index.js';
export * from './serdes/index.js';
export * from './client/index.js';
export { builtinFeatures, libversion, version } from './version.js';
export * from './schema-registry/index.js';
export * from './serdes/avro/index.js';
// Only the registry mock from lib/testing: the in-memory Kafka fakes stay behind the 'nest-rdkafka/testing' subpath,
// so an application importing the root never loads them.
export { MockSchemaRegistryClient } from './testing/mock-schema-registry.client.js';
export * from './transport/index.js';
export * from './admin/index.js';
export { MissingDependencyError } from './errors/index.js';
export * from './module/index.js';
export * from './health/index.js';
