import type { ConsumerConfig } from '../../client/config/index.js';
import type { SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import type { Deserializer } from '../serializer.interface.js';
import { type DeserializedCommitOptions, DeserializingConsumer } from '../serializing/deserializing.consumer.js';
import type { AvroSchemaInput } from './avro-schema.util.js';
import type { AvroDeserializerConfig } from './avro-serde.config.js';
import { AvroDeserializer } from './avro.deserializer.js';
import { type SchemaRegistryPrefixedConfig, splitSchemaRegistryConfig } from './schema-registry-config.util.js';

/** `AvroConsumer` configuration: the consumer's librdkafka properties plus `schema.registry.*`. @publicApi */
export type AvroConsumerConfig = ConsumerConfig & SchemaRegistryPrefixedConfig;

/** `AvroConsumer` options of ours. @publicApi */
export interface AvroConsumerOptions {
  /** A registry client to use instead of one built from `schema.registry.*` (e.g. a `MockSchemaRegistryClient`). */
  schemaRegistry?: SchemaRegistryClientInterface;
  /** Deserializer options for keys and values (`longs`, `logicalTypes`). @default exact longs, logical types mapped */
  deserializerConfig?: Omit<AvroDeserializerConfig, 'fromDict'>;
}

/** What `AvroConsumer.commit()` takes: a decoded or raw message, or explicit offsets. @publicApi */
export type AvroCommitOptions = DeserializedCommitOptions;

/**
 * confluent_kafka.avro's `AvroConsumer`: a `Consumer` whose messages come with their Avro keys and values
 * decoded, the writer schemas fetched from the registry by the id in each message. Reader schemas, when
 * given, resolve data written with older or newer compatible schemas.
 *
 * A `DeserializingConsumer` with `AvroDeserializer`s for keys and values: `poll()` throws a
 * `KeyDeserializationError` / `ValueDeserializationError` for a message that cannot be decoded (the consumer
 * has moved past it); `consume()` returns it with `error` set and its bytes on `message`.
 * @publicApi
 */
export class AvroConsumer<K = unknown, V = unknown> extends DeserializingConsumer<K, V> {
  readonly schemaRegistry: SchemaRegistryClientInterface;

  /**
   * @param config consumer properties (`group.id` required) plus `schema.registry.url` (and its auth keys)
   * @param readerKeySchema the schema keys are decoded into; the writer's when omitted
   * @param readerValueSchema the schema values are decoded into; the writer's when omitted
   * @param options a registry client
   * @throws ConfigException on a bad property, a missing registry URL, or an invalid reader schema
   */
  constructor(
    config: AvroConsumerConfig,
    readerKeySchema?: AvroSchemaInput,
    readerValueSchema?: AvroSchemaInput,
    options: AvroConsumerOptions = {},
  ) {
    const { clientConfig, registry } = splitSchemaRegistryConfig(config, options.schemaRegistry);
    // Built before the consumer, so an invalid reader schema fails without creating a client.
    const keys = new AvroDeserializer<K>(registry, readerKeySchema, options.deserializerConfig);
    const values = new AvroDeserializer<V>(registry, readerValueSchema, options.deserializerConfig);
    // A null key/value decodes to null: `DeserializedMessage` holds `K | null` / `V | null` already.
    super({ ...clientConfig, 'key.deserializer': keys as Deserializer<K>, 'value.deserializer': values as Deserializer<V> });
    this.schemaRegistry = registry;
  }
}
