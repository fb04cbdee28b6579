import type { ProducerConfig } from '../../client/config/index.js';
import type { Message } from '../../client/message.js';
import type { ProduceRecord } from '../../client/produce-args.js';
import { Producer, type ProducerOptions } from '../../client/producer.js';
import { serializationError, messageOf } from '../avro/serde-error.util.js';
import { KeySerializationError, ValueSerializationError } from '../../errors/index.js';
import { MessageField, type SerializationContext } from '../serialization-context.js';
import type { Serializer } from '../serializer.interface.js';
import { type SerializerLike, takeKeys, toSerializer } from './serde-functions.js';

/**
 * `SerializingProducer` configuration: librdkafka properties plus confluent_kafka's `key.serializer` /
 * `value.serializer` (any serde of ours, or a function). Without one, keys/values must be Buffers or strings.
 * @publicApi
 */
export type SerializingProducerConfig<K = unknown, V = unknown> = ProducerConfig & {
  'key.serializer'?: SerializerLike<K>;
  'value.serializer'?: SerializerLike<V>;
};

/** One message for `SerializingProducer`: key and value as the application's objects. @publicApi */
export interface SerializingProduceRecord<K = unknown, V = unknown> extends Omit<ProduceRecord, 'value' | 'key'> {
  value?: V | null;
  key?: K | null;
}

const SERDE_KEYS = ['key.serializer', 'value.serializer'] as const;

/**
 * confluent_kafka's `SerializingProducer`: a `Producer` that serializes keys and values with the configured
 * serializers (Avro, JSON Schema, Protobuf or your own). Serializing may wait for the registry; messages are
 * still enqueued in the order `produce()` was called. A record that cannot be serialized is not enqueued:
 * its call rejects with a `KeySerializationError` / `ValueSerializationError`, never an unhandled rejection.
 * @publicApi
 */
export class SerializingProducer<K = unknown, V = unknown, R extends SerializingProduceRecord<K, V> = SerializingProduceRecord<K, V>> {
  /** The underlying producer (transactions, `listTopics()`, …). */
  readonly producer: Producer;
  readonly #key?: Serializer<K>;
  readonly #value?: Serializer<V>;
  /** The last enqueue: the next one waits for it, so serializing delays cannot reorder messages. */
  #tail: Promise<unknown> = Promise.resolve();

  /** @throws ConfigException on a bad librdkafka property */
  constructor(config: SerializingProducerConfig<K, V>, options?: ProducerOptions) {
    const { taken, rest } = takeKeys(config, SERDE_KEYS);
    if (taken['key.serializer']) this.#key = toSerializer(taken['key.serializer'] as SerializerLike<K>);
    if (taken['value.serializer']) this.#value = toSerializer(taken['value.serializer'] as SerializerLike<V>);
    this.producer = new Producer(rest as ProducerConfig, options);
  }

  /** Connects the producer. @throws KafkaException as `Producer.connect()` */
  connect(timeoutMs?: number): Promise<void> {
    return this.producer.connect(timeoutMs);
  }

  /**
   * Serializes and enqueues one message; its delivery report goes to `onDelivery` or the global `on_delivery`.
   * @throws KeySerializationError | ValueSerializationError (nothing is enqueued then)
   * @throws KafkaException | QueueFullError as `Producer.produce()`
   */
  produce(topic: string, record: R): Promise<void> {
    return this.inOrder(topic, record, (args) => this.producer.produce(topic, args));
  }

  /** Serializes and produces one message, resolving with its delivery report. @throws as `produce()` and the delivery error */
  produceAsync(topic: string, record: Omit<R, 'onDelivery'>): Promise<Message> {
    let delivery: Promise<Message> | undefined;
    // Without `onDelivery` it is still an R: the field is optional.
    return this.inOrder(topic, record as R, (args) => {
      delivery = this.producer.produceAsync(topic, args);
    }).then(() => delivery!);
  }

  /** Serves delivery reports (see `Producer.poll()`). */
  poll(timeoutMs?: number): Promise<number> {
    return this.producer.poll(timeoutMs);
  }

  /** Waits for every message produced so far to be serialized and delivered. @returns messages still in flight */
  async flush(timeoutMs?: number): Promise<number> {
    await this.#tail;
    return this.producer.flush(timeoutMs);
  }

  /** Waits for pending serializations, flushes and disconnects. @returns the number of messages not delivered */
  async close(timeoutMs?: number): Promise<number> {
    await this.#tail;
    return this.producer.close(timeoutMs);
  }

  private inOrder(topic: string, record: R, enqueue: (args: ProduceRecord) => void): Promise<void> {
    const encoded = this.encode(topic, record);
    // Awaited only after the earlier records are enqueued: marked handled now so a failure meanwhile is not
    // an unhandled rejection; `turn` still rejects with it for the caller.
    encoded.catch(() => undefined);
    const turn = this.#tail.then(() => encoded).then(enqueue);
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  /** The record as `Producer.produce()` takes it; subclasses with their own record fields encode them here. */
  protected async encode(topic: string, record: R): Promise<ProduceRecord> {
    const { value, key, ...rest } = record;
    const [v, k] = await Promise.all([
      encodeField(this.#value, value, { topic, field: MessageField.VALUE }),
      encodeField(this.#key, key, { topic, field: MessageField.KEY }),
    ]);
    return { ...rest, value: v, key: k };
  }
}

async function encodeField<T>(
  serializer: Serializer<T> | undefined,
  data: T | null | undefined,
  ctx: SerializationContext,
): Promise<Buffer | string | null> {
  if (data === null || data === undefined) return null;
  if (!serializer) {
    if (Buffer.isBuffer(data) || typeof data === 'string') return data;
    throw serializationError(ctx, `${ctx.field} is a ${typeof data}, not a Buffer or string, and no ${ctx.field}.serializer is configured`);
  }
  try {
    return await serializer.serialize(data, ctx);
  } catch (e) {
    if (e instanceof KeySerializationError || e instanceof ValueSerializationError) throw e;
    throw serializationError(ctx, `${ctx.field}.serializer failed: ${messageOf(e)}`, e);
  }
}
