import type { Schema } from '../../schema-registry/index.js';
import type { RegistrySerializerConfig } from '../registry/registry-serde.config.js';
import type { SerializationContext } from '../serialization-context.js';

/**
 * A Protobuf schema: the `.proto` text, or a registry `Schema` (`schemaType: 'PROTOBUF'`) whose references
 * name the registered subjects its imports come from (`{ name: 'common/address.proto', subject, version }`).
 * `google/protobuf/*.proto` imports need no reference: protobufjs bundles them.
 * @publicApi
 */
export type ProtobufSchemaInput = string | Schema;

/** How 64-bit integers decode: exact BigInts or decimal strings (never numbers, which would round). @publicApi */
export type ProtobufLongs = 'bigint' | 'string';

/** `ProtobufSerializer` options. @publicApi */
export interface ProtobufSerializerConfig<T = unknown> extends RegistrySerializerConfig {
  /**
   * The full name of the message values are written as (`pkg.Outer.Inner` for a nested one).
   * @default the file's first message
   */
  messageType?: string;
  /**
   * Message indexes as plain varints instead of zig-zag ones: the format confluent_kafka (Python) before 1.8
   * wrote and read (its `use.deprecated.format`). Only messages other than the file's first differ.
   * @default false
   */
  'use.deprecated.format'?: boolean;
  /** Turns the application's value into the message object before encoding. */
  toDict?: (value: T, ctx: SerializationContext) => unknown;
}

/** `ProtobufDeserializer` options. @publicApi */
export interface ProtobufDeserializerConfig<T = unknown> {
  /**
   * With a reader schema: the message bodies decode as (reader newer or older than the writer: fields match
   * by number). @default the message at the writer's message index in the reader's file
   */
  messageType?: string;
  /**
   * Message indexes as plain varints instead of zig-zag ones: the format confluent_kafka (Python) before 1.8
   * wrote and read (its `use.deprecated.format`). Only messages other than the file's first differ.
   * @default false
   */
  'use.deprecated.format'?: boolean;
  /** 64-bit integers decode to exact BigInts or decimal strings. @default 'bigint' */
  longs?: ProtobufLongs;
  /** Turns the decoded message object into the application's value. */
  fromDict?: (decoded: unknown, ctx: SerializationContext) => T;
}
