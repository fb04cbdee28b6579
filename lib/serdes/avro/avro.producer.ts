import type { ProducerConfig } from '../../client/config/index.js';
import type { Message } from '../../client/message.js';
import type { ProduceRecord } from '../../client/produce-args.js';
import { Producer, type ProducerOptions } from '../../client/producer.js';
import { KeySerializationError, ValueSerializationError } from '../../errors/index.js';
import type { SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { LruCache } from '../../schema-registry/lru-cache.js';
import { MessageField } from '../serialization-context.js';
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
 * @publicApi
 */
export class AvroProducer<K = unknown, V = unknown> {
  /** The underlying producer (transactions, `listTopics()`, …). */
  readonly producer: Producer;
  readonly schemaRegistry: SchemaRegistryClientInterface;
  /** Serializers by schema (bounded: records may each bring their own schema). */
  readonly #serializers = new LruCache<unknown, AvroSerializer>();
  readonly #serializerConfig: Omit<AvroSerializerConfig, 'toDict'>;
  /** The last enqueue: the next one waits for it, so encoding delays cannot reorder messages. */
  #tail: Promise<unknown> = Promise.resolve();

  /**
   * @param config producer properties plus `schema.registry.url` (and its auth keys)
   * @param defaultKeySchema the key schema when `produce()` gives none
   * @param defaultValueSchema the value schema when `produce()` gives none
   * @param options a registry client, serializer and producer options
   * @throws ConfigException on a bad property, a missing registry URL, or an invalid default schema
   */
  constructor(
    config: AvroProducerConfig,
    private readonly defaultKeySchema?: AvroSchemaInput,
    private readonly defaultValueSchema?: AvroSchemaInput,
    options: AvroProducerOptions = {},
  ) {
    const { clientConfig, registry } = splitSchemaRegistryConfig(config, options.schemaRegistry);
    this.schemaRegistry = registry;
    this.#serializerConfig = options.serializerConfig ?? {};
    if (defaultKeySchema !== undefined) this.serializerFor(defaultKeySchema);
    if (defaultValueSchema !== undefined) this.serializerFor(defaultValueSchema);
    this.producer = new Producer(clientConfig, options.producerOptions);
  }

  /** Connects the producer. @throws KafkaException as `Producer.connect()` */
  connect(timeoutMs?: number): Promise<void> {
    return this.producer.connect(timeoutMs);
  }

  /**
   * Encodes and enqueues one message; its delivery report goes to `onDelivery` or the global `on_delivery`.
   * @throws KeySerializationError | ValueSerializationError when a schema is missing, the value does not
   *   match it, or the registry refuses or cannot be reached; nothing is enqueued then
   * @throws KafkaException | QueueFullError as `Producer.produce()`
   */
  produce(topic: string, record: AvroProduceRecord<K, V>): Promise<void> {
    return this.inOrder(topic, record, (args) => this.producer.produce(topic, args));
  }

  /**
   * Encodes and produces one message, resolving with its delivery report.
   * @throws as `produce()`, and the delivery error as `Producer.produceAsync()`
   */
  produceAsync(topic: string, record: Omit<AvroProduceRecord<K, V>, 'onDelivery'>): Promise<Message> {
    let delivery: Promise<Message> | undefined;
    return this.inOrder(topic, record, (args) => {
      delivery = this.producer.produceAsync(topic, args);
    }).then(() => delivery!);
  }

  /** Serves delivery reports (see `Producer.poll()`). */
  poll(timeoutMs?: number): Promise<number> {
    return this.producer.poll(timeoutMs);
  }

  /** Waits for every message produced so far to be encoded and delivered. @returns messages still in flight */
  async flush(timeoutMs?: number): Promise<number> {
    await this.#tail;
    return this.producer.flush(timeoutMs);
  }

  /** Messages enqueued and not yet reported. */
  get length(): number {
    return this.producer.length;
  }

  /** Waits for pending encodes, flushes and disconnects. @returns the number of messages not delivered */
  async close(timeoutMs?: number): Promise<number> {
    await this.#tail;
    return this.producer.close(timeoutMs);
  }

  private inOrder(topic: string, record: AvroProduceRecord<K, V>, enqueue: (args: ProduceRecord) => void): Promise<void> {
    const encoded = this.encode(topic, record);
    // Encoding starts now, but `encoded` is only awaited once the earlier records are enqueued: a failure
    // before then would be an unhandled rejection (and kill a process run with the default
    // --unhandled-rejections=throw). Marked handled here; `turn` still rejects with it for the caller.
    encoded.catch(() => undefined);
    const turn = this.#tail.then(() => encoded).then(enqueue);
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  private async encode(topic: string, record: AvroProduceRecord<K, V>): Promise<ProduceRecord> {
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

  /** One serializer per schema: strings by value, parsed JSON by its text, avsc Types by identity. */
  private serializerFor(schema: AvroSchemaInput): AvroSerializer {
    const key = typeof schema === 'string' || loadAvsc().Type.isType(schema) ? schema : JSON.stringify(schema);
    let s = this.#serializers.get(key);
    if (!s) {
      s = new AvroSerializer(this.schemaRegistry, schema, this.#serializerConfig);
      this.#serializers.set(key, s);
    }
    return s;
  }
}
