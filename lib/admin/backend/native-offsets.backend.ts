import { randomUUID } from 'node:crypto';
import type { KafkaConsumer, LibrdKafkaError, TopicPartitionOffset } from 'node-rdkafka';
import { loadNative } from '../../client/native/load-native.js';
import { oauthRefresherFor, type OAuthBearerRefresher, type OAuthBearerTokenProvider } from '../../client/oauth-bearer.js';
import { ErrorCode, KafkaException, fromNativeError } from '../../errors/index.js';
import type { AdminLogger, AdminProperties } from '../admin-options.interface.js';
import { fromAdminError } from '../admin-error.mapper.js';
import { AdminLifecycle } from './admin-lifecycle.js';
import { outageOrTimeout } from './broker-probe.js';

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
  readonly #oauth: OAuthBearerTokenProvider | undefined;
  readonly #logger: AdminLogger | undefined;
  readonly #lifecycle: AdminLifecycle;
  readonly #listers = new Map<number, Promise<KafkaConsumer>>();
  readonly #refreshers = new WeakMap<KafkaConsumer, OAuthBearerRefresher>();

  /**
   * @param config librdkafka properties, passed through verbatim (`oauth_cb` feeds the consumers' tokens)
   * @param logger receives token refresh failures
   * @param lifecycle the owning AdminClient's open/closed state
   */
  constructor(config: AdminProperties, logger?: AdminLogger, lifecycle = new AdminLifecycle()) {
    this.#lifecycle = lifecycle;
    const plain = Object.entries(config).filter(([, v]) => v !== undefined && typeof v !== 'function');
    this.#config = Object.fromEntries(plain) as Record<string, string | number | boolean>;
    this.#oauth = typeof config.oauth_cb === 'function' ? config.oauth_cb : undefined;
    this.#logger = logger;
  }

  /** Connects a consumer that never joins its group (with an OAUTHBEARER token first, given an oauth_cb). */
  async #consumer(
    operation: string,
    groupId: string,
    extra: Record<string, string | number | boolean>,
    timeoutMs: number,
  ): Promise<KafkaConsumer> {
    this.#lifecycle.assertOpen(operation);
    const { KafkaConsumer } = loadNative();
    const consumer = new KafkaConsumer({ ...this.#config, ...extra, 'group.id': groupId, 'enable.auto.commit': false }, {});
    const refresher = oauthRefresherFor(this.#oauth, this.#config, {
      setToken: (token) => consumer.setOauthBearerToken(token),
      onError: (e) => this.#logger?.error(`admin token refresh: ${e.toString()}`),
    });
    await refresher?.start();
    if (refresher) this.#refreshers.set(consumer, refresher);
    try {
      await new Promise<void>((resolve, reject) => {
        consumer.connect({ timeout: timeoutMs }, (err) => (err ? reject(fromNativeError(err)) : resolve()));
      });
    } catch (e) {
      refresher?.stop();
      throw e;
    }
    return consumer;
  }

  /**
   * Looks up offsets: each partition's `offset` is a timestamp or -2/-1/-3.
   * @param isolationLevel 0 read_uncommitted, 1 read_committed
   */
  async listOffsets(partitions: TopicPartitionOffset[], isolationLevel: number, timeoutMs: number): Promise<NativePartitionOffset[]> {
    try {
      return await this.#listOffsets(partitions, isolationLevel, timeoutMs);
    } catch (e) {
      throw await outageOrTimeout(fromAdminError(e), this.#config, 'listOffsets');
    }
  }

  async #listOffsets(partitions: TopicPartitionOffset[], isolationLevel: number, timeoutMs: number): Promise<NativePartitionOffset[]> {
    this.#lifecycle.assertOpen('listOffsets');
    let lister = this.#listers.get(isolationLevel);
    if (!lister) {
      const level = isolationLevel === 1 ? 'read_committed' : 'read_uncommitted';
      lister = this.#consumer('listOffsets', `nest-rdkafka-admin-${randomUUID()}`, { 'isolation.level': level }, timeoutMs);
      lister.catch(() => this.#listers.delete(isolationLevel));
      this.#listers.set(isolationLevel, lister);
    }
    const consumer = await lister;
    const answer = await new Promise<TopicPartitionOffset[]>((resolve, reject) => {
      consumer.offsetsForTimes(partitions, timeoutMs, (err, res) =>
        err ? reject(new KafkaException(fromNativeError(err))) : resolve(res),
      );
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
    let consumer: KafkaConsumer;
    try {
      consumer = await this.#consumer('alterConsumerGroupOffsets', groupId, {}, timeoutMs);
    } catch (e) {
      throw await outageOrTimeout(fromAdminError(e), this.#config, 'alterConsumerGroupOffsets');
    }
    try {
      consumer.commitSync(partitions);
    } catch (e) {
      throw new KafkaException(fromNativeError(e, ErrorCode._FAIL));
    } finally {
      await this.#disconnect(consumer);
    }
  }

  /** Closes the cached consumers; idempotent. */
  async close(): Promise<void> {
    const listers = [...this.#listers.values()];
    this.#listers.clear();
    await Promise.all(listers.map(async (p) => this.#disconnect(await p).catch(() => undefined)));
  }

  #disconnect(consumer: KafkaConsumer): Promise<void> {
    this.#refreshers.get(consumer)?.stop();
    return new Promise((resolve) => consumer.disconnect(() => resolve()));
  }
}
