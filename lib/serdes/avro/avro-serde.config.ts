import type { SubjectNameStrategy } from '../../schema-registry/index.js';
import type { SerializationContext } from '../serialization-context.js';
import type { AvroValueOptions } from './types/avro-value.options.js';

/**
 * `AvroSerializer` options: confluent_kafka's dotted keys, `toDict` (its `to_dict` argument), and how
 * JavaScript values map to Avro (`longs`, `logicalTypes`).
 * @publicApi
 */
export interface AvroSerializerConfig<T = unknown> extends AvroValueOptions {
  /**
   * Register the schema under its subject when it is not there yet. When false, the schema must already be
   * registered under the subject, or serialization fails.
   * @default true
   */
  'auto.register.schemas'?: boolean;
  /**
   * Write with the subject's latest registered schema instead of the serializer's own (which may then be
   * omitted). Excludes `auto.register.schemas`; the latest version is fetched once per subject.
   * @default false
   */
  'use.latest.version'?: boolean;
  /**
   * Ask the registry to normalize the schema before registering or looking it up.
   * @default false
   */
  'normalize.schemas'?: boolean;
  /**
   * Which subject the schema belongs to: `topicSubjectNameStrategy` (`<topic>-value`),
   * `recordSubjectNameStrategy` (`<fullname>`), `topicRecordSubjectNameStrategy` (`<topic>-<fullname>`), or
   * your own function.
   * @default topicSubjectNameStrategy
   */
  'subject.name.strategy'?: SubjectNameStrategy;
  /** Turns the application's value into what the schema describes before encoding. */
  toDict?: (value: T, ctx: SerializationContext) => unknown;
}

/**
 * `AvroDeserializer` options: `fromDict` is confluent_kafka's `from_dict` argument; `longs` and
 * `logicalTypes` say which JavaScript types values decode to.
 * @publicApi
 */
export interface AvroDeserializerConfig<T = unknown> extends AvroValueOptions {
  /** Turns the decoded record into the application's value. */
  fromDict?: (decoded: unknown, ctx: SerializationContext) => T;
}
