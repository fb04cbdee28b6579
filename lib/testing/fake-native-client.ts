import { EventEmitter } from 'node:events';
import type { NativeMetadata } from '../client/cluster-metadata.js';
import type { NativeError } from '../client/native/index.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { FakeKafka } from './fake-kafka.js';
import { fakeNativeError, NO_ERROR } from './fake-native-error.js';

/** node-rdkafka's callback shapes (the error is `NO_ERROR`, i.e. null, on success); the fakes' methods take it. */
export type FakeCallback<T> = (err: NativeError, data: T) => unknown;

let clients = 0;

/**
 * What the fake consumer and producer share, as node-rdkafka's `Client`: connect (faults at `connect`),
 * metadata, watermarks and disconnect. Callbacks always run on a later turn of the event loop, as the native
 * client's do.
 * @publicApi
 */
export abstract class FakeNativeClient extends EventEmitter {
  /** librdkafka's client name, `rdkafka#consumer-N` / `rdkafka#producer-N`. */
  readonly name: string;
  protected connected = false;
  private connectedAt = 0;

  /**
   * @param kafka the cluster
   * @param config the global config the client layer passed (after its own additions, e.g. `rebalance_cb`)
   * @param topicConfig the default topic config it passed
   */
  protected constructor(
    protected readonly kafka: FakeKafka,
    readonly config: Readonly<Record<string, unknown>>,
    readonly topicConfig: Readonly<Record<string, unknown>>,
    kind: 'consumer' | 'producer',
  ) {
    super();
    this.name = `rdkafka#${kind}-${++clients}`;
  }

  /** A producer's metadata request creates the topic (where the cluster allows it); a consumer's does not. */
  protected abstract readonly createsTopics: boolean;

  /** What happens before a disconnect completes (the consumer's final revoke, the producer's flush). */
  protected abstract beforeDisconnect(): Promise<void>;

  connect(_options?: unknown, cb?: FakeCallback<NativeMetadata>): this {
    const fault = this.kafka.takeFault('connect');
    setImmediate(() => {
      if (fault) return void cb?.(fault, this.kafka.metadata([]));
      this.connected = true;
      this.connectedAt = Date.now();
      this.emit('ready', { name: this.name });
      cb?.(NO_ERROR, this.kafka.metadata());
    });
    return this;
  }

  isConnected(): boolean {
    return this.connected;
  }

  connectedTime(): number {
    return this.connected ? Date.now() - this.connectedAt : 0;
  }

  getLastError(): NativeError {
    return fakeNativeError(0, { message: 'Success' });
  }

  getClient(): never {
    throw new Error(`${this.name}: getClient() (the native handle) has no fake`);
  }

  setOauthBearerToken(_token: string): this {
    return this;
  }

  getMetadata(options?: { topic?: string; allTopics?: boolean }, cb?: FakeCallback<NativeMetadata>): void {
    const topic = options?.topic;
    const error = this.kafka.takeFault('metadata', topic) ?? this.notConnected();
    if (!error && topic !== undefined && this.createsTopics) this.autoCreate(topic);
    setImmediate(() =>
      error ? cb?.(error, this.kafka.metadata([])) : cb?.(NO_ERROR, this.kafka.metadata(topic === undefined ? undefined : [topic])),
    );
  }

  queryWatermarkOffsets(
    topic: string,
    partition: number,
    timeoutOrCb?: number | FakeCallback<{ lowOffset: number; highOffset: number }>,
    callback?: FakeCallback<{ lowOffset: number; highOffset: number }>,
  ): void {
    const cb = typeof timeoutOrCb === 'function' ? timeoutOrCb : callback;
    const error =
      this.kafka.takeFault('watermarks', topic) ??
      this.notConnected() ??
      (partition >= this.kafka.partitionCount(topic) ? fakeNativeError(ErrorCode.UNKNOWN_TOPIC_OR_PART) : null);
    const offsets = { lowOffset: 0, highOffset: this.kafka.highWatermark(topic, partition) };
    setImmediate(() => cb?.(error ?? NO_ERROR, offsets));
  }

  disconnect(
    timeoutOrCb?: number | FakeCallback<{ connectionOpened: number }>,
    callback?: FakeCallback<{ connectionOpened: number }>,
  ): this {
    const cb = typeof timeoutOrCb === 'function' ? timeoutOrCb : callback;
    void this.beforeDisconnect().then(() => {
      this.connected = false;
      const metrics = { connectionOpened: this.connectedAt };
      this.emit('disconnected', metrics);
      cb?.(NO_ERROR, metrics);
    });
    return this;
  }

  /**
   * Creates a topic this client names, as a broker does when the cluster and the client allow it (librdkafka's
   * `allow.auto.create.topics`, on by default for a producer; the server's reply producer turns it off).
   * @returns whether the topic exists now
   */
  protected autoCreate(topic: string): boolean {
    const allowed = String(this.config['allow.auto.create.topics'] ?? true) !== 'false';
    return allowed ? this.kafka.autoCreate(topic) : this.kafka.partitionCount(topic) > 0;
  }

  /** The error node-rdkafka gives a call on a client that is not connected. */
  protected notConnected(): NativeError | null {
    return this.connected ? null : fakeNativeError(ErrorCode._STATE, { message: 'Client is disconnected' });
  }
}
