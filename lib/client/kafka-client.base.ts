import { ConfigException, ErrorCode, KafkaException, toKafkaException, type KafkaError } from '../errors/index.js';
import { redactConfig, redactWhenPrinted, scrubSecrets } from '../security/index.js';
import { ClientState } from './client-state.js';
import { callSafely, wireClientEvents } from './client-events.js';
import { ConnectAttempt, connectTargetOf, type ConnectTarget } from './connect-attempt.js';
import { toClusterMetadata, type ClusterMetadata, type NativeMetadata } from './cluster-metadata.js';
import { splitConfig, TOPIC_PROPERTIES, type ClientCallbacks, type KafkaLogger, type NativeValue } from './config/index.js';
import type { NativeClient } from './native/index.js';
import { oauthRefresherFor, type OAuthBearerRefresher } from './oauth-bearer.js';

/** Properties split for node-rdkafka's constructors: global config and default topic config. @internal */
export type NativeConfigFactory<T> = (global: Record<string, NativeValue>, topic: Record<string, NativeValue>) => T;

function byLevel(props: Record<string, NativeValue>): [Record<string, NativeValue>, Record<string, NativeValue>] {
  const global: Record<string, NativeValue> = {};
  const topic: Record<string, NativeValue> = {};
  for (const [k, v] of Object.entries(props)) (TOPIC_PROPERTIES.has(k) ? topic : global)[k] = v;
  return [global, topic];
}

/** How long connect() and metadata calls wait by default, in ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const BASE_CALLBACKS = ['error_cb', 'throttle_cb', 'stats_cb', 'logger', 'oauth_cb'] as const;

/**
 * librdkafka names the property it rejects, but under its canonical name (`queue.buffering.max.ms` for
 * `linger.ms`); trying the user's properties one by one finds the key they actually wrote.
 */
function findOffender(create: NativeConfigFactory<unknown>, props: Record<string, NativeValue>, message: string): string {
  const named = /"([^"]+)"/.exec(message)?.[1];
  if (named && named in props) return named;
  for (const [key, value] of Object.entries(props)) {
    try {
      create(...byLevel({ [key]: value }));
    } catch {
      return key;
    }
  }
  return named ?? '(config)';
}

/**
 * What Producer and Consumer share: config splitting and validation, the native client, confluent_kafka's
 * callbacks, the life-cycle guard, connect and metadata. Callbacks become Promises here, once.
 * @publicApi
 */
export abstract class KafkaClientBase<TNative extends NativeClient, TCallbacks extends ClientCallbacks> {
  /** @internal */
  protected readonly native: TNative;
  /** @internal */
  protected readonly callbacks: TCallbacks;
  /** @internal */
  protected readonly logger: KafkaLogger | undefined;
  #state: ClientState = ClientState.CREATED;
  #connecting: Promise<void> | undefined;
  /** node-rdkafka's connect still running after ours gave up early (an authentication failure): wait for it. */
  #nativeSettled: Promise<void> = Promise.resolve();
  readonly #target: ConnectTarget;
  readonly #oauth: OAuthBearerRefresher | undefined;

  static {
    // The native client keeps the whole config (`globalConfig`), secrets included: a client prints its state
    // and its config with the secrets masked instead.
    redactWhenPrinted(this, (self) => ({ state: self.#state, config: redactConfig(self.native.globalConfig ?? {}) }));
  }

  /** @internal */
  protected constructor(config: object, callbackKeys: readonly string[], create: NativeConfigFactory<TNative>) {
    this.logger = (config as ClientCallbacks | undefined)?.logger;
    const split = splitConfig<TCallbacks>(config, [...BASE_CALLBACKS, ...callbackKeys], (m) => this.deprecated(m));
    this.callbacks = split.callbacks;
    this.#target = connectTargetOf(split.properties);
    try {
      this.native = create(...byLevel(split.properties));
    } catch (e) {
      // librdkafka quotes a rejected value; the message must not carry a secret to whoever logs it.
      const message = scrubSecrets((e as Error).message ?? String(e), split.properties);
      throw new ConfigException(findOffender(create, split.properties, message), message.trim());
    }
    wireClientEvents(this.native, this.callbacks, () => this.logContext);
    this.#oauth = oauthRefresherFor(this.callbacks.oauth_cb, split.properties, {
      setToken: (token) => this.native.setOauthBearerToken(token),
      onError: (error) => this.reportError(error),
    });
  }

  /** A client-side error for error_cb (as librdkafka's own), or the logger without one. */
  private reportError(error: KafkaError): void {
    if (this.callbacks.error_cb) callSafely(this.logger, 'error_cb', this.callbacks.error_cb, error);
    else this.logger?.error(error.toString(), undefined, this.logContext);
  }

  /** Sets the first OAUTHBEARER token from `oauth_cb` before librdkafka connects; its failure fails this connect. */
  async #firstToken(): Promise<void> {
    try {
      await this.#oauth?.start();
    } catch (e) {
      this.#connecting = undefined;
      this.#state = ClientState.CREATED;
      const error = toKafkaException(e, ErrorCode._AUTHENTICATION);
      this.reportError(error.error);
      throw error;
    }
  }

  /** Shown with this client's log lines. */
  protected abstract get logContext(): string;

  /** The life-cycle state. */
  get state(): ClientState {
    return this.#state;
  }

  /** @internal */
  protected setState(state: ClientState): void {
    this.#state = state;
  }

  private deprecated(message: string): void {
    if (this.logger) this.logger.warn(message, 'nest-rdkafka');
    else process.emitWarning(message, 'DeprecationWarning');
  }

  /**
   * Throws `_STATE` unless the client is connected (or, with `allowCreated`, not yet connected).
   * @internal
   */
  protected assertUsable(operation: string, allowCreated = false): void {
    const s = this.#state;
    if (s === ClientState.CONNECTED || (allowCreated && (s === ClientState.CREATED || s === ClientState.CONNECTING))) return;
    const why =
      s === ClientState.CLOSED || s === ClientState.CLOSING ? 'the client is closed' : 'the client is not connected; call connect() first';
    throw new KafkaException(ErrorCode._STATE, `${operation}: ${why}`);
  }

  /**
   * Connects to the cluster and waits for its first metadata. Safe to call again while connecting or
   * connected. `error_cb` sees every error meanwhile (unreachable brokers, refused credentials). A refused
   * password rejects at once with `_AUTHENTICATION`; a cluster that does not answer rejects after `timeoutMs`
   * with `_TRANSPORT`, `_ALL_BROKERS_DOWN` or `_RESOLVE`, naming the brokers and librdkafka's reason. The
   * client can try again after either (after an early failure, a retry first waits for node-rdkafka's own
   * connect, which cannot be cut short, to end).
   * @throws KafkaException `_STATE` after close()
   */
  connect(timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): Promise<void> {
    if (this.#state === ClientState.CONNECTED) return Promise.resolve();
    if (this.#connecting) return this.#connecting;
    if (this.#state === ClientState.CLOSED || this.#state === ClientState.CLOSING) {
      return Promise.reject(new KafkaException(ErrorCode._STATE, 'connect: the client is closed'));
    }
    this.#state = ClientState.CONNECTING;
    // The first OAUTHBEARER token (when oauth_cb is set) must be in place before librdkafka connects.
    const attempt = this.#nativeSettled
      .then(() => this.#firstToken())
      .then(() => {
        const { done, nativeSettled } = new ConnectAttempt(this.native, this.#target, () => this.serveQueue()).run(timeoutMs);
        this.#nativeSettled = nativeSettled;
        return done;
      });
    this.#connecting = attempt.then(
      () => {
        this.#connecting = undefined;
        // close() ran during the attempt, which librdkafka may still finish: the client stays closed (marking it
        // connected restarted the producer's idle poll on a disconnected client, which threw from a timer).
        if (this.#state !== ClientState.CONNECTING) {
          void this.disconnectNative(5000);
          throw new KafkaException(ErrorCode._STATE, 'connect: the client was closed while connecting');
        }
        this.#state = ClientState.CONNECTED;
        this.onConnected();
      },
      (err: unknown) => {
        this.#connecting = undefined;
        if (this.#state === ClientState.CONNECTING) this.#state = ClientState.CREATED;
        throw err;
      },
    );
    return this.#connecting;
  }

  /**
   * Serves the native event queue once, without waiting (while connecting: error_cb, stats_cb, logs).
   * @internal
   */
  protected abstract serveQueue(): void;

  /** Hook for subclasses: the native client just connected. @internal */
  protected onConnected(): void {}

  /**
   * Cluster metadata: brokers and topics (all topics, or just `topic`).
   * @param topic one topic, or undefined for all
   * @param timeoutMs how long to wait for the broker
   */
  listTopics(topic?: string, timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): Promise<ClusterMetadata> {
    this.assertUsable('listTopics');
    return new Promise((resolve, reject) => {
      this.native.getMetadata({ topic, allTopics: topic === undefined, timeout: timeoutMs }, (err, data) => {
        if (err) reject(toKafkaException(err, ErrorCode._TIMED_OUT));
        else resolve(toClusterMetadata(data as unknown as NativeMetadata));
      });
    });
  }

  /**
   * close() of a client that never connected: node-rdkafka's connect may still be running (after an early
   * authentication failure) and holds the handle until it ends, so the disconnect follows it rather than
   * making close() wait up to the whole connect timeout.
   * @internal
   */
  protected releaseUnconnected(): void {
    void this.#nativeSettled.then(() => this.disconnectNative(5000));
  }

  /** Disconnects the native client (idempotent). @internal */
  protected disconnectNative(timeoutMs: number): Promise<void> {
    this.#oauth?.stop();
    if (!this.native.isConnected()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs + 1000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      // The producer's disconnect flushes first and takes a timeout; the consumer's takes only a callback. Told
      // apart by shape, not `instanceof`, so a client built on a fake binding never loads the addon.
      if ('flush' in this.native) this.native.disconnect(timeoutMs, done);
      else this.native.disconnect(done);
    });
  }
}
