import type { Schema } from '../../schema-registry/index.js';
import type { RegistrySerializerConfig } from '../registry/registry-serde.config.js';
import type { SerializationContext } from '../serialization-context.js';

/**
 * A JSON Schema: its text, the parsed object, or a registry `Schema` (`schemaType: 'JSON'`) with references
 * to other registered subjects (`{ name: '<the $ref it answers>', subject, version }`).
 * @publicApi
 */
export type JsonSchemaInput = string | Record<string, unknown> | Schema;

/** `JsonSchemaSerializer` options. Every value is validated against the writer schema before it is written. @publicApi */
export interface JsonSchemaSerializerConfig<T = unknown> extends RegistrySerializerConfig {
  /** Turns the application's value into what the schema describes before encoding. */
  toDict?: (value: T, ctx: SerializationContext) => unknown;
}

/**
 * `JsonSchemaDeserializer` options.
 * @publicApi
 */
export interface JsonSchemaDeserializerConfig<T = unknown> {
  /**
   * Validate each decoded value: against the reader schema when one is given, else against the writer's
   * schema (fetched by id). An invalid value is a deserialization error.
   * @default true
   */
  validate?: boolean;
  /**
   * What an integer literal beyond ±(2^53-1) decodes to: `'bigint'` (exact) or `'error'` (the record is
   * refused with a deserialization error). It never decodes to a rounded number.
   * @default 'bigint'
   */
  unsafeIntegers?: 'bigint' | 'error';
  /** Turns the decoded value into the application's value. */
  fromDict?: (decoded: unknown, ctx: SerializationContext) => T;
}
