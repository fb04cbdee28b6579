import type {
  NativeConsumer,
  NativeDeliveryReport,
  NativeError,
  NativeProducer,
  NativeTopicPartitionOffset,
} from '../client/native/index.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { FakeKafka } from './fake-kafka.js';
import { FakeNativeClient } from './fake-native-client.js';
import { fakeNativeError, NO_ERROR } from './fake-native-error.js';

type Done = (err: NativeError) => void;

/** One produce() call the producer accepted, and how its delivery ended. @publicApi */
export interface FakeProduced {
  readonly topic: string;
  /** The partition produce() was given; -1 lets the partitioner choose. */
  readonly requestedPartition: number;
  /** The partition written to (the requested one, or the partitioner's choice). */
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header `[name, value]` pairs as node-rdkafka received them. */
  readonly headers: ReadonlyArray<readonly [string, string | Buffer]>;
  /** The offset written, or -1001 when the delivery failed. */
  readonly offset: number;
  /** The delivery error code, or null when delivered. */
  readonly error: number | null;
}

const DEFAULT_MESSAGE_MAX_BYTES = 1_000_000;

function buffer(v: Buffer | string | null | undefined): Buffer | null {
  return v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v);
}

/**
 * A fake of node-rdkafka's `Producer` on a `FakeKafka`. produce() writes the record to the cluster at once (so
 * consumers see it) and queues its delivery report, served by poll()/flush() as librdkafka does. It throws
 * `MSG_SIZE_TOO_LARGE` above `message.max.bytes`; a missing topic (auto-creation off in the cluster or by `allow.auto.create.topics`) or partition fails the
 * delivery with `_UNKNOWN_TOPIC` / `_UNKNOWN_PARTITION`; `FakeKafka.inject('produce' | 'delivery', code)`
 * makes produce() throw or the delivery fail. `produced` records every accepted call, `transactions` every
 * transactional call.
 * @publicApi
 */
export class FakeNativeProducer extends FakeNativeClient implements NativeProducer {
  readonly produced: FakeProduced[] = [];
  readonly transactions: string[] = [];
  protected readonly createsTopics = true;
  private reports: [NativeError | null, NativeDeliveryReport][] = [];

  constructor(kafka: FakeKafka, config: Readonly<Record<string, unknown>>, topicConfig: Readonly<Record<string, unknown>>) {
    super(kafka, config, topicConfig, 'producer');
    kafka.producers.push(this);
  }

  /** Delivery reports queued and not yet served by poll(). */
  get pendingReports(): number {
    return this.reports.length;
  }

  produce(
    topic: string,
    partition: number | null | undefined,
    message: Buffer | null,
    key?: Buffer | string | null,
    timestamp?: number | null,
    opaque?: unknown,
    headers?: Record<string, string | Buffer>[],
  ): boolean {
    if (!this.connected) throw new Error('Producer not connected');
    const thrown = this.kafka.takeFault('produce', topic);
    if (thrown) throw thrown;
    const k = buffer(key);
    const max = Number(this.config['message.max.bytes'] ?? DEFAULT_MESSAGE_MAX_BYTES);
    if ((message?.length ?? 0) + (k?.length ?? 0) > max) throw fakeNativeError(ErrorCode.MSG_SIZE_TOO_LARGE);
    const pairs = (headers ?? []).flatMap((h) => Object.keys(h).map((name): readonly [string, string | Buffer] => [name, h[name]!]));
    let p = partition ?? -1;
    let offset = -1001;
    let error = this.kafka.takeFault('delivery', topic);
    if (!error && !this.autoCreate(topic)) error = fakeNativeError(ErrorCode._UNKNOWN_TOPIC);
    if (!error) {
      if (p < 0) p = this.kafka.partitionFor(topic, k);
      if (p >= this.kafka.partitionCount(topic)) error = fakeNativeError(ErrorCode._UNKNOWN_PARTITION);
      else [offset] = this.kafka.append(topic, { key: k, value: message, headers: pairs, timestamp: timestamp ?? undefined }, p);
    }
    this.produced.push({
      topic,
      requestedPartition: partition ?? -1,
      partition: p,
      key: k,
      value: message,
      headers: pairs,
      offset,
      error: error?.code ?? null,
    });
    const ts = timestamp ?? (offset >= 0 ? this.kafka.records(topic, p)[offset]!.timestamp : Date.now());
    this.reports.push([error, { topic, partition: p, offset, key: k, size: message?.length ?? 0, timestamp: ts, opaque }]);
    return true;
  }

  /** Serves the queued delivery reports (`delivery-report` events). */
  poll(): this {
    const reports = this.reports;
    this.reports = [];
    for (const [err, report] of reports) this.emit('delivery-report', err ?? NO_ERROR, report);
    return this;
  }

  flush(_timeout?: number | null, cb?: Done): this {
    setImmediate(() => {
      this.poll();
      cb?.(this.notConnected() ?? NO_ERROR);
    });
    return this;
  }

  setPollInterval(_interval: number): this {
    return this;
  }

  initTransactions(timeoutOrCb: number | Done, cb?: Done): void {
    this.transaction('init', timeoutOrCb, cb);
  }

  beginTransaction(cb: Done): void {
    this.transaction('begin', cb);
  }

  commitTransaction(timeoutOrCb: number | Done, cb?: Done): void {
    this.transaction('commit', timeoutOrCb, cb);
  }

  abortTransaction(timeoutOrCb: number | Done, cb?: Done): void {
    this.transaction('abort', timeoutOrCb, cb);
  }

  sendOffsetsToTransaction(offsets: NativeTopicPartitionOffset[], _consumer: NativeConsumer, timeoutOrCb: number | Done, cb?: Done): void {
    this.transaction(`sendOffsets ${offsets.map((o) => `${o.topic}[${o.partition}]@${o.offset}`).join(',')}`, timeoutOrCb, cb);
  }

  private transaction(call: string, timeoutOrCb: number | Done, cb?: Done): void {
    this.transactions.push(call);
    const done = typeof timeoutOrCb === 'function' ? timeoutOrCb : cb;
    setImmediate(() => done?.(this.notConnected() ?? NO_ERROR));
  }

  /** librdkafka's producer close flushes first. */
  protected async beforeDisconnect(): Promise<void> {
    this.poll();
  }
}
