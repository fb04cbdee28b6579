import type { IAdminClient } from 'node-rdkafka';
import type { NativeValue } from '../../client/config/index.js';
import { createNativeAdminClient } from '../../client/native/native-admin-client.js';
import { oauthRefresherFor, type OAuthBearerRefresher, type OAuthBearerTokenProvider } from '../../client/oauth-bearer.js';
import { KafkaException, fromNativeError, type KafkaError } from '../../errors/index.js';

/** A topic to create through librdkafka: -1 partitions or replicas take the broker's defaults. @internal */
export interface NativeNewTopic {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * librdkafka's own CreateTopics, through node-rdkafka's AdminClient: it speaks every security setting
 * librdkafka does (GSSAPI and OAUTHBEARER included) and waits for the controller's answer only (no client-side
 * leader check that can reject a topic that was just created, as kafkajs's does).
 * @internal
 */
export class NativeTopicAdmin {
  readonly #config: Record<string, NativeValue>;
  readonly #oauth: OAuthBearerTokenProvider | undefined;
  readonly #onError: (error: KafkaError) => void;
  #client: Promise<{ admin: IAdminClient; refresher?: OAuthBearerRefresher }> | undefined;

  /**
   * @param config librdkafka properties (plain values); `debug` is dropped: node-rdkafka's admin has no log
   *   event, so librdkafka would print its debug lines on stderr
   * @param oauth the `oauth_cb` of an OAUTHBEARER config
   * @param onError where token refresh failures go
   */
  constructor(
    config: Readonly<Record<string, NativeValue>>,
    oauth: OAuthBearerTokenProvider | undefined,
    onError: (error: KafkaError) => void,
  ) {
    const { debug: _debug, ...rest } = config;
    this.#config = rest;
    this.#oauth = oauth;
    this.#onError = onError;
  }

  async #open(): Promise<{ admin: IAdminClient; refresher?: OAuthBearerRefresher }> {
    let admin: IAdminClient | undefined;
    let first: string | undefined;
    const refresher = oauthRefresherFor(this.#oauth, this.#config, {
      setToken: (token) => (admin ? admin.refreshOauthBearerToken(token) : (first = token)),
      onError: this.#onError,
    });
    await refresher?.start();
    try {
      admin = createNativeAdminClient(this.#config, first);
    } catch (e) {
      refresher?.stop();
      throw new KafkaException(fromNativeError(e));
    }
    return { admin, refresher };
  }

  /**
   * Creates one topic.
   * @throws KafkaException with the broker's code (`TOPIC_ALREADY_EXISTS`, `INVALID_REPLICATION_FACTOR`…)
   */
  async createTopic(t: NativeNewTopic, timeoutMs: number): Promise<void> {
    this.#client ??= this.#open();
    this.#client.catch(() => (this.#client = undefined));
    const { admin } = await this.#client;
    await new Promise<void>((resolve, reject) => {
      admin.createTopic(
        { topic: t.topic, num_partitions: t.numPartitions, replication_factor: t.replicationFactor, config: { ...t.config } },
        timeoutMs,
        (err) => (err ? reject(new KafkaException(fromNativeError(err))) : resolve()),
      );
    });
  }

  /** Releases the librdkafka handle. */
  async close(): Promise<void> {
    const open = this.#client;
    this.#client = undefined;
    const client = await open?.catch(() => undefined);
    client?.refresher?.stop();
    client?.admin.disconnect();
  }
}
