import type { ConsumerConfig } from '../../client/config/index.js';
import { type CommitOptions, Consumer } from '../../client/consumer.js';
import type { RebalanceCallbacks } from '../../client/consumer-rebalance.js';
import type { Message } from '../../client/message.js';
import type { TopicPartition } from '../../client/topic-partition.js';
import { KafkaException, KeyDeserializationError, ValueDeserializationError } from '../../errors/index.js';
import { deserializationError, type LocatedSerializationContext, messageOf } from '../avro/serde-error.util.js';
import { MessageField } from '../serialization-context.js';
import type { Deserializer } from '../serializer.interface.js';
import { DeserializedMessage } from './deserialized-message.js';
import { type DeserializerLike, takeKeys, toDeserializer } from './serde-functions.js';

/**
 * `DeserializingConsumer` configuration: librdkafka properties plus `key.deserializer` /
 * `value.deserializer` (any serde of ours, or a function). Without one, keys/values stay Buffers.
 * @publicApi
 */
export type DeserializingConsumerConfig<K = unknown, V = unknown> = ConsumerConfig & {
  'key.deserializer'?: DeserializerLike<K>;
  'value.deserializer'?: DeserializerLike<V>;
};

/** What `DeserializingConsumer.commit()` takes. @publicApi */
export interface DeserializedCommitOptions extends Omit<CommitOptions, 'message'> {
  message?: Message | DeserializedMessage;
}

const SERDE_KEYS = ['key.deserializer', 'value.deserializer'] as const;

/**
 * confluent_kafka's `DeserializingConsumer`: a `Consumer` whose messages come back with keys and values
 * deserialized by the configured deserializers. As in confluent_kafka, `poll()` throws for a message that
 * cannot be deserialized (the consumer has moved past it); `consume()` returns it with `error` set instead.
 * @publicApi
 */
export class DeserializingConsumer<K = unknown, V = unknown> {
  /** The underlying consumer (assign, seek, pause, watermarks, …). */
  readonly consumer: Consumer;
  readonly #key?: Deserializer<K>;
  readonly #value?: Deserializer<V>;

  /** @throws ConfigException on a bad librdkafka property or a missing `group.id` */
  constructor(config: DeserializingConsumerConfig<K, V>) {
    const { taken, rest } = takeKeys(config, SERDE_KEYS);
    if (taken['key.deserializer']) this.#key = toDeserializer(taken['key.deserializer'] as DeserializerLike<K>);
    if (taken['value.deserializer']) this.#value = toDeserializer(taken['value.deserializer'] as DeserializerLike<V>);
    this.consumer = new Consumer(rest as ConsumerConfig);
  }

  connect(timeoutMs?: number): Promise<void> {
    return this.consumer.connect(timeoutMs);
  }

  subscribe(topics: Array<string | RegExp>, callbacks?: RebalanceCallbacks<Consumer>): void {
    this.consumer.subscribe(topics, callbacks);
  }

  unsubscribe(): void {
    this.consumer.unsubscribe();
  }

  /**
   * One deserialized message, an event with `error` set, or null when `timeoutMs` passed.
   * @throws KeyDeserializationError | ValueDeserializationError naming the topic, partition, offset (and schema id)
   */
  async poll(timeoutMs?: number): Promise<DeserializedMessage<K, V> | null> {
    const m = await this.consumer.poll(timeoutMs);
    return m ? this.decode(m) : null;
  }

  /** Up to `numMessages` messages; one that cannot be deserialized comes back with `error` set and its bytes on `message`. */
  async consume(numMessages?: number, timeoutMs?: number): Promise<DeserializedMessage<K, V>[]> {
    const batch = await this.consumer.consume(numMessages, timeoutMs);
    return Promise.all(
      batch.map((m) =>
        this.decode(m).catch((e: unknown) => {
          if (e instanceof KafkaException) return new DeserializedMessage<K, V>(m, null, null, e.error);
          throw e;
        }),
      ),
    );
  }

  commit(what: DeserializedCommitOptions = {}): Promise<TopicPartition[]> {
    const message = what.message instanceof DeserializedMessage ? what.message.message : what.message;
    return this.consumer.commit({ ...what, message });
  }

  close(): Promise<void> {
    return this.consumer.close();
  }

  private async decode(m: Message): Promise<DeserializedMessage<K, V>> {
    if (m.error) return new DeserializedMessage<K, V>(m, null, null);
    const where = { topic: m.topic, partition: m.partition, offset: m.offset, headers: m.headers };
    const [key, value] = await Promise.all([
      decodeField(this.#key, m.key, { ...where, field: MessageField.KEY }),
      decodeField(this.#value, m.value, { ...where, field: MessageField.VALUE }),
    ]);
    return new DeserializedMessage<K, V>(m, key as K | null, value as V | null);
  }
}

async function decodeField<T>(
  d: Deserializer<T> | undefined,
  data: Buffer | null,
  ctx: LocatedSerializationContext,
): Promise<T | Buffer | null> {
  if (!d) return data;
  try {
    return await d.deserialize(data, ctx);
  } catch (e) {
    if (e instanceof KeyDeserializationError || e instanceof ValueDeserializationError) throw e;
    throw deserializationError(ctx, `${ctx.field}.deserializer failed: ${messageOf(e)}`, e);
  }
}
