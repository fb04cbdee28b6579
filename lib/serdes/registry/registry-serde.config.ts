import type { SubjectNameStrategy } from '../../schema-registry/index.js';

/**
 * The Schema Registry options every serializer shares (confluent_kafka's dotted keys), for Avro, JSON Schema
 * and Protobuf alike.
 * @publicApi
 */
export interface RegistrySerializerConfig {
  /**
   * Register the schema under its subject when it is not there yet. When false, the schema must already be
   * registered under the subject, or serialization fails.
   * @default true (false with use.latest.version)
   */
  'auto.register.schemas'?: boolean;
  /**
   * Write with the subject's latest registered schema instead of the serializer's own (which may then be
   * omitted). Excludes `auto.register.schemas`; the latest version is fetched once per subject.
   * @default false
   */
  'use.latest.version'?: boolean;
  /** Ask the registry to normalize the schema before registering or looking it up. @default false */
  'normalize.schemas'?: boolean;
  /**
   * Which subject the schema belongs to: `topicSubjectNameStrategy` (`<topic>-value`),
   * `recordSubjectNameStrategy` (`<record name>`), `topicRecordSubjectNameStrategy` (`<topic>-<record name>`),
   * or your own function. The record name is the JSON Schema's `title`, the Protobuf message's full name.
   * @default topicSubjectNameStrategy
   */
  'subject.name.strategy'?: SubjectNameStrategy;
}
