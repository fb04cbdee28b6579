/**
 * nest-rdkafka: a NestJS microservice transport, client layer and admin for Apache Kafka on librdkafka.
 * This barrel is the package's one public entry.
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
export { MockSchemaRegistryClient } from './testing/index.js';
export * from './transport/index.js';
export * from './admin/index.js';
export { MissingDependencyError } from './errors/index.js';
export * from './module/index.js';
export * from './health/index.js';
