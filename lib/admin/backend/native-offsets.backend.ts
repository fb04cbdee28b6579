import { randomUUID } from 'node:crypto';
import type { KafkaConsumer, LibrdKafkaError, TopicPartitionOffset } from 'node-rdkafka';
import { loadNative } from '../../client/native/load-native.js';
import { ErrorCode, KafkaException, fromNativeError } from '../../errors/index.js';
import type { AdminClientConfig } from '../admin-options.interface.js';

/** A partition's answer from librdkafka, with the per-partition error node-rdkafka attaches. */
export interface NativePartitionOffset {
  topic: string;
  partition: number;
  offset: number;
  error: KafkaException | null;
}

/**
 * node-rdkafka consumers used as admin tools: librdkafka's ListOffsets (offsetsForTimes, which accepts the
 * earliest/latest/max-timestamp specs -2/-1/-3) and a group's offset commit without joining it (as
 * confluent_kafka's AlterConsumerGroupOffsets does: the broker refuses it while the group has members).
 * @internal
 */
export class NativeOffsetsBackend {
  readonly #config: Record<string, string | number | boolean>;
  readonly #listers = new Map<number, Promise<KafkaConsumer>>();

  /** @param config librdkafka properties, passed through verbatim */
  constructor(config: AdminClientConfig) {
    this.#config = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
  }

  /** Connects a consumer that never joins its group. */
  async #consumer(groupId: string, extra: Record<string, string | number | boolean>, timeoutMs: number): Promise<KafkaConsumer> {
    const { KafkaConsumer } = loadNative();
    const consumer = new KafkaConsumer({ ...this.#config, ...extra, 'group.id': groupId, 'enable.auto.commit': false }, {});
    await new Promise<void>((resolve, reject) => {
      consumer.connect({ timeout: timeoutMs }, (err) => (err ? reject(fromNativeError(err)) : resolve()));
    });
    return consumer;
  }

  /**
   * Looks up offsets: each partition's `offset` is a timestamp or -2/-1/-3.
   * @param isolationLevel 0 read_uncommitted, 1 read_committed
   */
  async listOffsets(partitions: TopicPartitionOffset[], isolationLevel: number, timeoutMs: number): Promise<NativePartitionOffset[]> {
    let lister = this.#listers.get(isolationLevel);
    if (!lister) {
      const level = isolationLevel === 1 ? 'read_committed' : 'read_uncommitted';
      lister = this.#consumer(`nest-rdkafka-admin-${randomUUID()}`, { 'isolation.level': level }, timeoutMs);
      lister.catch(() => this.#listers.delete(isolationLevel));
      this.#listers.set(isolationLevel, lister);
    }
    const consumer = await lister;
    const answer = await new Promise<TopicPartitionOffset[]>((resolve, reject) => {
      consumer.offsetsForTimes(partitions, timeoutMs, (err, res) => (err ? reject(new KafkaException(fromNativeError(err))) : resolve(res)));
    });
    return answer.map((tp) => {
      const err = (tp as TopicPartitionOffset & { error?: LibrdKafkaError }).error;
      return { topic: tp.topic, partition: tp.partition, offset: tp.offset, error: err ? new KafkaException(fromNativeError(err)) : null };
    });
  }

  /**
   * Commits offsets for a group as a non-member. librdkafka's commit is synchronous here (commitSync), which
   * reports the broker's error (e.g. UNKNOWN_MEMBER_ID for a group with members).
   */
  async commitOffsets(groupId: string, partitions: TopicPartitionOffset[], timeoutMs: number): Promise<void> {
    const consumer = await this.#consumer(groupId, {}, timeoutMs);
    try {
      consumer.commitSync(partitions);
    } catch (e) {
      throw new KafkaException(fromNativeError(e, ErrorCode._FAIL));
    } finally {
      await disconnect(consumer);
    }
  }

  /** Closes the cached consumers. */
  async close(): Promise<void> {
    const listers = [...this.#listers.values()];
    this.#listers.clear();
    await Promise.all(listers.map(async (p) => disconnect(await p).catch(() => undefined)));
  }
}

function disconnect(consumer: KafkaConsumer): Promise<void> {
  return new Promise((resolve) => consumer.disconnect(() => resolve()));
}
