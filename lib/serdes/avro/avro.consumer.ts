import type { ConsumerConfig } from '../../client/config/index.js';
import { type CommitOptions, Consumer } from '../../client/consumer.js';
import type { RebalanceCallbacks } from '../../client/consumer-rebalance.js';
import type { Message } from '../../client/message.js';
import type { TopicPartition } from '../../client/topic-partition.js';
import { KafkaException } from '../../errors/index.js';
import type { SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { MessageField } from '../serialization-context.js';
import { AvroMessage } from './avro-message.js';
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
export interface AvroCommitOptions extends Omit<CommitOptions, 'message'> {
  message?: Message | AvroMessage;
}

/**
 * confluent_kafka.avro's `AvroConsumer`: a `Consumer` whose messages come with their Avro keys and values
 * decoded, the writer schemas fetched from the registry by the id in each message. Reader schemas, when
 * given, resolve data written with older or newer compatible schemas.
 * @publicApi
 */
export class AvroConsumer<K = unknown, V = unknown> {
  /** The underlying consumer (assign, seek, pause, watermarks, …). */
  readonly consumer: Consumer;
  readonly schemaRegistry: SchemaRegistryClientInterface;
  readonly #keys: AvroDeserializer<K>;
  readonly #values: AvroDeserializer<V>;

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
    this.schemaRegistry = registry;
    this.#keys = new AvroDeserializer<K>(registry, readerKeySchema, options.deserializerConfig);
    this.#values = new AvroDeserializer<V>(registry, readerValueSchema, options.deserializerConfig);
    this.consumer = new Consumer(clientConfig);
  }

  /** Connects the consumer. @throws KafkaException as `Consumer.connect()` */
  connect(timeoutMs?: number): Promise<void> {
    return this.consumer.connect(timeoutMs);
  }

  /** Subscribes to topics (see `Consumer.subscribe()`). */
  subscribe(topics: Array<string | RegExp>, callbacks?: RebalanceCallbacks<Consumer>): void {
    this.consumer.subscribe(topics, callbacks);
  }

  /** Leaves the subscription. */
  unsubscribe(): void {
    this.consumer.unsubscribe();
  }

  /**
   * One decoded message, an event with `error` set (key and value null), or null when `timeoutMs` passed.
   * As confluent_kafka.avro, a message that cannot be decoded throws; the consumer has moved past it, so
   * the next `poll()` returns the next message.
   * @throws KeyDeserializationError | ValueDeserializationError naming the topic, partition and offset
   */
  async poll(timeoutMs?: number): Promise<AvroMessage<K, V> | null> {
    const m = await this.consumer.poll(timeoutMs);
    return m ? this.decode(m) : null;
  }

  /**
   * Up to `numMessages` messages, decoded (see `Consumer.consume()`). A message that cannot be decoded does
   * not fail the batch: it comes back with `error` set to its `_KEY_DESERIALIZATION` /
   * `_VALUE_DESERIALIZATION` error and its bytes on `message`.
   */
  async consume(numMessages?: number, timeoutMs?: number): Promise<AvroMessage<K, V>[]> {
    const batch = await this.consumer.consume(numMessages, timeoutMs);
    return Promise.all(
      batch.map((m) =>
        this.decode(m).catch((e: unknown) => {
          if (e instanceof KafkaException) return new AvroMessage<K, V>(m, null, null, e.error);
          throw e;
        }),
      ),
    );
  }

  /** Commits a message's offset + 1, explicit offsets, or the consumed positions (see `Consumer.commit()`). */
  commit(what: AvroCommitOptions = {}): Promise<TopicPartition[]> {
    const message = what.message instanceof AvroMessage ? what.message.message : what.message;
    return this.consumer.commit({ ...what, message });
  }

  /** Leaves the group and disconnects. */
  close(): Promise<void> {
    return this.consumer.close();
  }

  private async decode(m: Message): Promise<AvroMessage<K, V>> {
    if (m.error) return new AvroMessage<K, V>(m, null, null);
    const where = { topic: m.topic, partition: m.partition, offset: m.offset };
    const [key, value] = await Promise.all([
      this.#keys.deserialize(m.key, { ...where, field: MessageField.KEY, headers: m.headers }),
      this.#values.deserialize(m.value, { ...where, field: MessageField.VALUE, headers: m.headers }),
    ]);
    return new AvroMessage<K, V>(m, key, value);
  }
}
