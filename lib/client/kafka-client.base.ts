import { ConfigException, ErrorCode, KafkaException, toKafkaException } from '../errors/index.js';
import { ClientState } from './client-state.js';
import { wireClientEvents } from './client-events.js';
import { toClusterMetadata, type ClusterMetadata, type NativeMetadata } from './cluster-metadata.js';
import { splitConfig, TOPIC_PROPERTIES, type ClientCallbacks, type KafkaLogger, type NativeValue } from './config/index.js';
import { loadNative, type NativeClient } from './native/index.js';

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

const BASE_CALLBACKS = ['error_cb', 'throttle_cb', 'stats_cb', 'logger'] as const;

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

  /** @internal */
  protected constructor(config: Record<string, unknown>, callbackKeys: readonly string[], create: NativeConfigFactory<TNative>) {
    this.logger = (config as ClientCallbacks | undefined)?.logger;
    const split = splitConfig<TCallbacks>(config, [...BASE_CALLBACKS, ...callbackKeys], (m) => this.deprecated(m));
    this.callbacks = split.callbacks;
    try {
      this.native = create(...byLevel(split.properties));
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      throw new ConfigException(findOffender(create, split.properties, message), message.trim());
    }
    wireClientEvents(this.native, this.callbacks, () => this.logContext);
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
    const why = s === ClientState.CLOSED || s === ClientState.CLOSING ? 'the client is closed' : 'the client is not connected; call connect() first';
    throw new KafkaException(ErrorCode._STATE, `${operation}: ${why}`);
  }

  /**
   * Connects to the cluster and waits for its first metadata. Safe to call again while connecting or
   * connected. An unreachable cluster rejects after `timeoutMs` with a `KafkaException` (`_TRANSPORT` or
   * `_TIMED_OUT`), and the client can try again.
   * @throws KafkaException `_STATE` after close()
   */
  connect(timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): Promise<void> {
    if (this.#state === ClientState.CONNECTED) return Promise.resolve();
    if (this.#connecting) return this.#connecting;
    if (this.#state === ClientState.CLOSED || this.#state === ClientState.CLOSING) {
      return Promise.reject(new KafkaException(ErrorCode._STATE, 'connect: the client is closed'));
    }
    this.#state = ClientState.CONNECTING;
    this.#connecting = new Promise<void>((resolve, reject) => {
      this.native.connect({ timeout: timeoutMs }, (err) => {
        this.#connecting = undefined;
        // close() ran during the attempt, which librdkafka may still finish: the client stays closed (marking it
        // connected restarted the producer's idle poll on a disconnected client, which threw from a timer).
        if (this.#state !== ClientState.CONNECTING) {
          if (!err) void this.disconnectNative(5000);
          return reject(new KafkaException(ErrorCode._STATE, 'connect: the client was closed while connecting'));
        }
        if (err) {
          this.#state = ClientState.CREATED;
          return reject(toKafkaException(err, ErrorCode._TRANSPORT));
        }
        this.#state = ClientState.CONNECTED;
        this.onConnected();
        resolve();
      });
    });
    return this.#connecting;
  }

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

  /** Disconnects the native client (idempotent). @internal */
  protected disconnectNative(timeoutMs: number): Promise<void> {
    if (!this.native.isConnected()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs + 1000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      // The producer's disconnect flushes first and takes a timeout; the consumer's takes only a callback.
      if (this.native instanceof loadNative().Producer) this.native.disconnect(timeoutMs, done);
      else this.native.disconnect(done);
    });
  }
}
