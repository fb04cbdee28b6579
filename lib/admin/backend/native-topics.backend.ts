import type { IAdminClient } from 'node-rdkafka';
import type { NativeValue } from '../../client/config/index.js';
import { createNativeAdminClient } from '../../client/native/native-admin-client.js';
import { oauthRefresherFor, type OAuthBearerRefresher, type OAuthBearerTokenProvider } from '../../client/oauth-bearer.js';
import { KafkaException, fromNativeError, type KafkaError } from '../../errors/index.js';
import { AdminLifecycle } from './admin-lifecycle.js';
import { outageOrTimeout } from './broker-probe.js';

/** A topic to create through librdkafka: -1 partitions or replicas take the broker's defaults. @internal */
export interface NativeNewTopic {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * librdkafka's own CreateTopics, DeleteTopics and CreatePartitions, through node-rdkafka's AdminClient (the only
 * admin calls node-rdkafka 3.6 binds): it speaks every security setting librdkafka does (GSSAPI, OAUTHBEARER,
 * TLS) and waits for the controller's answer only (no client-side leader check that can reject a topic that
 * was just created, as kafkajs's does).
 * @internal
 */
export class NativeTopicAdmin {
  readonly #config: Record<string, NativeValue>;
  readonly #oauth: OAuthBearerTokenProvider | undefined;
  readonly #onError: (error: KafkaError) => void;
  readonly #lifecycle: AdminLifecycle;
  readonly #inFlight = new Set<Promise<void>>();
  #client: Promise<{ admin: IAdminClient; refresher?: OAuthBearerRefresher }> | undefined;

  /**
   * @param config librdkafka properties (plain values); `debug` is dropped: node-rdkafka's admin has no log
   *   event, so librdkafka would print its debug lines on stderr
   * @param oauth the `oauth_cb` of an OAUTHBEARER config
   * @param onError where token refresh failures go
   * @param lifecycle the owning AdminClient's open/closed state (a private one by default)
   */
  constructor(
    config: Readonly<Record<string, NativeValue>>,
    oauth: OAuthBearerTokenProvider | undefined,
    onError: (error: KafkaError) => void,
    lifecycle = new AdminLifecycle(),
  ) {
    const { debug: _debug, ...rest } = config;
    this.#config = rest;
    this.#oauth = oauth;
    this.#onError = onError;
    this.#lifecycle = lifecycle;
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
   * Runs one librdkafka admin call on the shared handle (opened on first use, never after close).
   * @throws KafkaException with the broker's code; `_TRANSPORT` when librdkafka timed out and no bootstrap
   *   server accepts a connection; `_STATE` once closed
   */
  async #call(operation: string, run: (admin: IAdminClient, done: (err: unknown) => void) => void): Promise<void> {
    this.#lifecycle.assertOpen(operation);
    this.#client ??= this.#open();
    this.#client.catch(() => (this.#client = undefined));
    const { admin } = await this.#client;
    this.#lifecycle.assertOpen(operation);
    const call = new Promise<void>((resolve, reject) =>
      run(admin, (err) => (err ? reject(new KafkaException(fromNativeError(err))) : resolve())),
    );
    const settled = call.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
    try {
      await call;
    } catch (e) {
      throw await outageOrTimeout(e as KafkaException, this.#config, operation);
    }
  }

  /**
   * Creates one topic.
   * @throws KafkaException with the broker's code (`TOPIC_ALREADY_EXISTS`, `INVALID_REPLICATION_FACTOR`…)
   */
  createTopic(t: NativeNewTopic, timeoutMs: number): Promise<void> {
    return this.#call('createTopics', (admin, done) =>
      admin.createTopic(
        { topic: t.topic, num_partitions: t.numPartitions, replication_factor: t.replicationFactor, config: { ...t.config } },
        timeoutMs,
        done,
      ),
    );
  }

  /** Deletes one topic. @throws KafkaException (`UNKNOWN_TOPIC_OR_PART` for a missing one) */
  deleteTopic(topic: string, timeoutMs: number): Promise<void> {
    return this.#call('deleteTopics', (admin, done) => admin.deleteTopic(topic, timeoutMs, done));
  }

  /** Raises a topic's partition count to `total`. @throws KafkaException (`INVALID_PARTITIONS`…) */
  createPartitions(topic: string, total: number, timeoutMs: number): Promise<void> {
    return this.#call('createPartitions', (admin, done) => admin.createPartitions(topic, total, timeoutMs, done));
  }

  /**
   * Releases the librdkafka handle; idempotent. node-rdkafka's disconnect() takes the lock an admin call holds
   * while it polls for its answer, on the event loop's thread: it waits for the calls in flight to end (each
   * within its timeout) rather than block the process.
   */
  async close(): Promise<void> {
    const open = this.#client;
    this.#client = undefined;
    const client = await open?.catch(() => undefined);
    await Promise.all([...this.#inFlight]);
    client?.refresher?.stop();
    try {
      client?.admin.disconnect();
    } catch {
      // Already disconnected: closing twice is not an error.
    }
  }
}
