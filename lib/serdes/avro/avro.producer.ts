import type { ProducerConfig } from '../../client/config/index.js';
import type { ProduceRecord } from '../../client/produce-args.js';
import type { ProducerOptions } from '../../client/producer.js';
import { KeySerializationError, ValueSerializationError } from '../../errors/index.js';
import type { SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { LruCache } from '../../schema-registry/lru-cache.js';
import { MessageField } from '../serialization-context.js';
import { SerializingProducer } from '../serializing/serializing.producer.js';
import type { AvroSerializerConfig } from './avro-serde.config.js';
import type { AvroSchemaInput } from './avro-schema.util.js';
import { AvroSerializer } from './avro.serializer.js';
import { loadAvsc } from './load-avsc.js';
import { type SchemaRegistryPrefixedConfig, splitSchemaRegistryConfig } from './schema-registry-config.util.js';

/** `AvroProducer` configuration: the producer's librdkafka properties plus `schema.registry.*`. @publicApi */
export type AvroProducerConfig = ProducerConfig & SchemaRegistryPrefixedConfig;

/** One message for `AvroProducer`: values and keys as objects, with their schemas when not the defaults. @publicApi */
export interface AvroProduceRecord<K = unknown, V = unknown> extends Omit<ProduceRecord, 'value' | 'key'> {
  value?: V | null;
  /** @default the producer's default value schema */
  valueSchema?: AvroSchemaInput;
  key?: K | null;
  /** @default the producer's default key schema */
  keySchema?: AvroSchemaInput;
}

/** `AvroProducer` options of ours. @publicApi */
export interface AvroProducerOptions {
  /** A registry client to use instead of one built from `schema.registry.*` (e.g. a `MockSchemaRegistryClient`). */
  schemaRegistry?: SchemaRegistryClientInterface;
  /** Serializer options for keys and values. @default auto-register under `<topic>-key` / `<topic>-value` */
  serializerConfig?: Omit<AvroSerializerConfig, 'toDict'>;
  producerOptions?: ProducerOptions;
}

/**
 * confluent_kafka.avro's `AvroProducer`: a `Producer` that encodes keys and values as Avro in the Confluent
 * wire format, registering their schemas. Schema Registry lookups make `produce()` asynchronous; messages are
 * still enqueued in the order `produce()`/`produceAsync()` were called.
 *
 * A `SerializingProducer` whose records carry their own schemas: `produce()` rejects with a
 * `KeySerializationError` / `ValueSerializationError` when a schema is missing, the value does not match it,
 * or the registry refuses or cannot be reached; nothing is enqueued then.
 * @publicApi
 */
export class AvroProducer<K = unknown, V = unknown> extends SerializingProducer<K, V, AvroProduceRecord<K, V>> {
  readonly schemaRegistry: SchemaRegistryClientInterface;
  /** Serializers by schema (bounded: records may each bring their own schema). */
  readonly #serializers = new LruCache<unknown, AvroSerializer>();
  readonly #serializerConfig: Omit<AvroSerializerConfig, 'toDict'>;
  private readonly defaultKeySchema?: AvroSchemaInput;
  private readonly defaultValueSchema?: AvroSchemaInput;

  /**
   * @param config producer properties plus `schema.registry.url` (and its auth keys)
   * @param defaultKeySchema the key schema when `produce()` gives none
   * @param defaultValueSchema the value schema when `produce()` gives none
   * @param options a registry client, serializer and producer options
   * @throws ConfigException on a bad property, a missing registry URL, or an invalid default schema
   */
  constructor(
    config: AvroProducerConfig,
    defaultKeySchema?: AvroSchemaInput,
    defaultValueSchema?: AvroSchemaInput,
    options: AvroProducerOptions = {},
  ) {
    const { clientConfig, registry } = splitSchemaRegistryConfig(config, options.schemaRegistry);
    const serializerConfig = options.serializerConfig ?? {};
    // Built before the producer, so an invalid default schema fails without creating a client.
    const defaults = [defaultKeySchema, defaultValueSchema]
      .filter((schema) => schema !== undefined)
      .map((schema) => [schemaKey(schema), new AvroSerializer(registry, schema, serializerConfig)] as const);
    super(clientConfig, options.producerOptions);
    this.schemaRegistry = registry;
    this.#serializerConfig = serializerConfig;
    this.defaultKeySchema = defaultKeySchema;
    this.defaultValueSchema = defaultValueSchema;
    for (const [key, serializer] of defaults) if (!this.#serializers.get(key)) this.#serializers.set(key, serializer);
  }

  /** Messages enqueued and not yet reported. */
  get length(): number {
    return this.producer.length;
  }

  protected override async encode(topic: string, record: AvroProduceRecord<K, V>): Promise<ProduceRecord> {
    const { value, valueSchema, key, keySchema, ...rest } = record;
    const [v, k] = await Promise.all([
      this.encodeField(topic, MessageField.VALUE, value, valueSchema ?? this.defaultValueSchema),
      this.encodeField(topic, MessageField.KEY, key, keySchema ?? this.defaultKeySchema),
    ]);
    return { ...rest, value: v, key: k };
  }

  private async encodeField(
    topic: string,
    field: MessageField,
    data: unknown,
    schema: AvroSchemaInput | undefined,
  ): Promise<Buffer | null> {
    if (data === null || data === undefined) return null;
    if (schema === undefined) {
      const reason = `no Avro ${field} schema: pass ${field}Schema or a default ${field} schema to AvroProducer`;
      throw field === MessageField.KEY ? new KeySerializationError(reason, { topic }) : new ValueSerializationError(reason, { topic });
    }
    return this.serializerFor(schema).serialize(data, { topic, field });
  }

  private serializerFor(schema: AvroSchemaInput): AvroSerializer {
    const key = schemaKey(schema);
    let s = this.#serializers.get(key);
    if (!s) {
      s = new AvroSerializer(this.schemaRegistry, schema, this.#serializerConfig);
      this.#serializers.set(key, s);
    }
    return s;
  }
}

/** One serializer per schema: strings by value, parsed JSON by its text, avsc Types by identity. */
function schemaKey(schema: AvroSchemaInput): unknown {
  return typeof schema === 'string' || loadAvsc().Type.isType(schema) ? schema : JSON.stringify(schema);
}
