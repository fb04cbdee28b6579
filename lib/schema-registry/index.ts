export type { SchemaRegistryClientConfig } from './schema-registry-client.config.js';
export type {
  CompatibilityLevel,
  RegisteredSchema,
  Schema,
  SchemaReference,
  SchemaRegistryClientInterface,
  SchemaType,
  SchemaVersion,
} from './schema-registry-client.interface.js';
export { SchemaRegistryClient } from './schema-registry.client.js';
export { SCHEMA_REGISTRY_UNKNOWN_ERROR_CODE, SchemaRegistryError } from './schema-registry.error.js';
export {
  recordSubjectNameStrategy,
  type SubjectNameStrategy,
  topicRecordSubjectNameStrategy,
  topicSubjectNameStrategy,
} from './subject-name-strategy.js';
