import { performance } from 'node:perf_hooks';
import { ErrorCode, KafkaError, KafkaException, QueueFullError, fromNativeError } from '../errors/index.js';
import { ClientState } from './client-state.js';
import { callSafely } from './client-events.js';
import type { ProducerConfig } from './config/index.js';
import { producerDefaults } from './config/producer-defaults.js';
import type { ConsumerGroupMetadata } from './consumer-group-metadata.js';
import { KafkaClientBase } from './kafka-client.base.js';
import { Message, timestampOf } from './message.js';
import { loadNative, type NativeBinding, type NativeDeliveryReport, type NativeProducer } from './native/index.js';
import { toNativeProduceArgs, type DeliveryCallback, type ProduceHeaders, type ProduceRecord } from './produce-args.js';
import type { TopicPartitionLike } from './topic-partition.js';
import { ProducerTransactions } from './producer-transactions.js';
import { fromKafkaJsMessage, type KafkaJsProducerRecordLike, type KafkaJsRecordMetadata, toRecordMetadata } from './kafkajs-shapes.js';
import { KafkaTracing, type SendSpan } from '../observability/tracing/kafka-tracing.js';

/** A message for `produceBatch()`; `error` is set on the ones that could not be enqueued. @publicApi */
export interface ProduceBatchRecord extends ProduceRecord {
  error?: KafkaError;
}

/** Options of ours (not librdkafka properties). @publicApi */
export interface ProducerOptions {
  /**
   * How often delivery reports are served while messages are in flight, in ms. librdkafka hands reports over
   * only when polled; we poll on this interval, and only while something is in flight. @default 2
   */
  pollIntervalMs?: number;
  /**
   * OpenTelemetry spans (`send <topic>`, ended by the delivery report) and W3C trace context in the produced
   * headers, while `@opentelemetry/api` is installed and a tracer provider is registered. false turns them off.
   * @default true
   */
  tracing?: boolean;
}

/** Poll interval when nothing is in flight, for error/stats/throttle events. */
const IDLE_POLL_INTERVAL_MS = 100;

interface InFlight {
  topic: string;
  /** Kept for the delivery report (node-rdkafka only copies the payload back with dr_msg_cb, at a cost). */
  key: Buffer | null;
  value: Buffer | null;
  t0: number;
  onDelivery?: DeliveryCallback;
  settle?: (err: KafkaError | null, msg: Message) => void;
  /** The record's `send` span (tracing on), ended by the delivery report. */
  span?: SendSpan;
}

/**
 * confluent_kafka's `Producer` on librdkafka: `produce()` enqueues and returns at once; delivery reports
 * arrive on the per-message callback, the global `on_delivery`, or as the Promise of `produceAsync()`.
 * Unlike librdkafka's own default, `enable.idempotence` is on (as in the Java client) unless set, or ruled out by
 * `acks` other than all, `max.in.flight` above 5 or `retries` 0: a broker failing under load then neither
 * reorders nor duplicates records.
 * @publicApi
 */
export class Producer extends KafkaClientBase<NativeProducer, ProducerConfig> {
  readonly #pollIntervalMs: number;
  #pollTimer: NodeJS.Timeout | undefined;
  #idlePollTimer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #served = 0;
  #waiters: Array<() => void> = [];
  /** flush() calls waiting for the last delivery report. */
  #drainWaiters: Array<() => void> = [];
  /** produceAsync() calls still waiting, so close() can fail them rather than leave them hanging. */
  readonly #pending = new Set<InFlight>();
  readonly #tx: ProducerTransactions;
  readonly #tracing: KafkaTracing | null;

  /**
   * @param config librdkafka producer properties plus `error_cb`, `throttle_cb`, `stats_cb`, `on_delivery`, `logger`
   * @param binding the node-rdkafka classes to build on; unit tests pass fakes here. @internal
   * @throws ConfigException for an unknown property or a value of the wrong type or range
   */
  constructor(config: ProducerConfig, options: ProducerOptions = {}, binding?: NativeBinding) {
    super(
      config,
      ['on_delivery'],
      (global, topic) =>
        new (binding ?? loadNative()).Producer({ ...producerDefaults({ ...global, ...topic }), ...global, dr_cb: true }, topic),
    );
    this.#pollIntervalMs = options.pollIntervalMs ?? 2;
    this.#tracing = KafkaTracing.create(options.tracing);
    this.#tx = new ProducerTransactions(this.native, (op) => this.assertUsable(op));
    (this.native as unknown as NodeJS.EventEmitter).on('delivery-report', (err: unknown, report: NativeDeliveryReport) =>
      this.onReport(err, report),
    );
  }

  /**
   * librdkafka serves a producer's error, stats and throttle events only when polled, so a connected producer
   * polls on a slow timer even when idle (unref'd: it never keeps the process alive).
   */
  protected override onConnected(): void {
    this.#idlePollTimer = setInterval(() => this.native.poll(), IDLE_POLL_INTERVAL_MS).unref();
  }

  /** @internal */
  protected serveQueue(): void {
    this.native.poll();
  }

  protected get logContext(): string {
    return `Producer ${(this.native as unknown as { name?: string }).name ?? ''}`.trim();
  }

  /** Messages produced whose delivery report has not arrived yet (confluent_kafka's `len(producer)`). */
  get length(): number {
    return this.#inFlight;
  }

  /**
   * Enqueues a message; the delivery report comes later. Positional as confluent_kafka, or
   * `produce(topic, { value, key, partition, timestamp, headers, onDelivery })`.
   * @throws QueueFullError when librdkafka's queue is full: `poll()` and retry (confluent_kafka's BufferError)
   * @throws KafkaException `_INVALID_ARG` for bad arguments, `_STATE` before connect() or after close()
   */
  produce(topic: string, record?: ProduceRecord): void;
  produce(
    topic: string,
    value?: Buffer | string | null,
    key?: Buffer | string | null,
    partition?: number,
    onDelivery?: DeliveryCallback,
    timestamp?: number,
    headers?: ProduceHeaders | null,
  ): void;
  produce(
    topic: string,
    valueOrRecord?: ProduceRecord | Buffer | string | null,
    key?: Buffer | string | null,
    partition?: number,
    onDelivery?: DeliveryCallback,
    timestamp?: number,
    headers?: ProduceHeaders | null,
  ): void {
    const record = isRecord(valueOrRecord) ? valueOrRecord : { value: valueOrRecord, key, partition, onDelivery, timestamp, headers };
    this.enqueue(topic, record, undefined);
  }

  /**
   * Enqueues many messages to one topic (confluent_kafka's `produce_batch`). A message that cannot be
   * enqueued gets its `error` set and the others still go.
   * @returns how many were enqueued
   */
  produceBatch(topic: string, records: ProduceBatchRecord[], partition = -1, onDelivery?: DeliveryCallback): number {
    let ok = 0;
    for (const r of records) {
      try {
        this.enqueue(topic, { ...r, partition: r.partition ?? partition, onDelivery: r.onDelivery ?? onDelivery }, undefined);
        r.error = undefined;
        ok++;
      } catch (e) {
        r.error = e instanceof KafkaException ? e.error : new KafkaError(ErrorCode._FAIL, String(e));
      }
    }
    return ok;
  }

  /**
   * confluent_kafka's `set_sasl_credentials()`. node-rdkafka 3.6 has no binding for `rd_kafka_sasl_set_credentials`.
   * @throws KafkaException `_NOT_IMPLEMENTED`
   */
  setSaslCredentials(_username: string, _password: string): never {
    throw new KafkaException(
      ErrorCode._NOT_IMPLEMENTED,
      'setSaslCredentials(): node-rdkafka 3.6 has no binding for rd_kafka_sasl_set_credentials; create a new client',
    );
  }

  /**
   * kafkajs' `send({ topic, messages })` (what code written for Nest's `KafkaContext.getProducer()` calls):
   * produces every message and resolves once all are delivered.
   * @returns kafkajs' `RecordMetadata`: per partition, the first delivered offset
   * @throws KafkaException the first delivery error, as produceAsync()
   */
  async send(record: KafkaJsProducerRecordLike): Promise<KafkaJsRecordMetadata[]> {
    const delivered = await Promise.all(record.messages.map((m) => this.produceAsync(record.topic, fromKafkaJsMessage(m))));
    return toRecordMetadata(record.topic, delivered);
  }

  /**
   * Produces one message and resolves with its delivery report.
   * @returns the delivered message (partition, offset, timestamp, latency)
   * @throws KafkaException the delivery error (e.g. `_MSG_TIMED_OUT`, `UNKNOWN_TOPIC_OR_PART`), or as produce()
   */
  produceAsync(topic: string, record: Omit<ProduceRecord, 'onDelivery'> = {}): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.enqueue(topic, record, (err, msg) => (err ? reject(new KafkaException(err)) : resolve(msg)));
    });
  }

  private enqueue(topic: string, record: ProduceRecord, settle: InFlight['settle']): void {
    this.assertUsable('produce');
    const a = toNativeProduceArgs(topic, record);
    // Started on valid arguments only; it adds its trace headers to `a.headers` (the caller's are left alone).
    const span = this.#tracing?.send(topic, a);
    // node-rdkafka keeps a persistent handle per opaque: only pay for one when a callback will read it.
    const opaque: InFlight | undefined =
      settle || span || record.onDelivery || this.callbacks.on_delivery
        ? { topic, key: a.key, value: a.value, t0: performance.now(), onDelivery: record.onDelivery, settle, span }
        : undefined;
    try {
      this.native.produce(topic, a.partition, a.value, a.key, a.timestamp, opaque, a.headers);
    } catch (e) {
      const err = fromNativeError(e, ErrorCode._FAIL);
      const thrown =
        err.code === ErrorCode._QUEUE_FULL ? new QueueFullError() : new KafkaException(err, undefined, undefined, { cause: e });
      span?.delivered(thrown);
      throw thrown;
    }
    // Pending until the report: close() fails what never gets one.
    if (settle || span) this.#pending.add(opaque!);
    if (this.#inFlight++ === 0) this.startPolling();
  }

  private onReport(nativeErr: unknown, report: NativeDeliveryReport): void {
    const opaque = report.opaque as InFlight | undefined;
    if (!opaque) return this.onBareReport(nativeErr, report);
    const error = nativeErr ? fromNativeError(nativeErr, ErrorCode._FAIL) : null;
    const msg = new Message({
      topic: report.topic,
      partition: report.partition,
      offset: report.offset ?? -1001,
      key: opaque?.key ?? null,
      value: opaque?.value ?? null,
      timestamp: timestampOf(report.timestamp),
      error,
      latency: opaque ? performance.now() - opaque.t0 : null,
    });
    this.#served++;
    if (--this.#inFlight <= 0) this.onDrained();
    if (this.#pending.delete(opaque)) {
      opaque.span?.delivered(error, report.partition, report.offset);
      opaque.settle?.(error, msg);
    }
    const cb = opaque?.onDelivery ?? this.callbacks.on_delivery;
    callSafely(this.logger, 'on_delivery', cb, error, msg);
    if (error && !cb && !opaque?.settle)
      this.logger?.error(`delivery to ${msg.topic} failed: ${error.toString()}`, undefined, this.logContext);
    this.wakeWaiters();
  }

  /** The hot path: a report nobody asked to see (no callback, no awaiting caller) is only counted. */
  private onBareReport(nativeErr: unknown, report: NativeDeliveryReport): void {
    this.#served++;
    if (--this.#inFlight <= 0) this.onDrained();
    if (nativeErr)
      this.logger?.error(
        `delivery to ${report.topic} failed: ${fromNativeError(nativeErr, ErrorCode._FAIL).toString()}`,
        undefined,
        this.logContext,
      );
    if (this.#waiters.length) this.wakeWaiters();
  }

  private wakeWaiters(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Nothing is in flight any more: stop the fast poll and wake flush() calls. */
  private onDrained(): void {
    this.#inFlight = 0;
    this.stopPolling();
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const w of waiters) w();
  }

  private startPolling(): void {
    this.#pollTimer ??= setInterval(() => this.native.poll(), this.#pollIntervalMs);
  }

  private stopPolling(): void {
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  /**
   * Serves delivery reports, waiting up to `timeoutMs` for at least one when messages are in flight.
   * @returns the number of delivery reports served
   */
  async poll(timeoutMs = 0): Promise<number> {
    this.assertUsable('poll');
    const before = this.#served;
    this.native.poll();
    await new Promise<void>((resolve) => {
      if (timeoutMs <= 0 || this.#inFlight === 0) return void setImmediate(resolve);
      const timer = setTimeout(resolve, timeoutMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.#served - before;
  }

  /**
   * Sends everything queued (ignoring `linger.ms`) and waits for the delivery reports.
   * @param timeoutMs how long to wait; -1 waits for ever
   * @returns the number of messages still in flight (0 when all were reported)
   */
  async flush(timeoutMs = -1): Promise<number> {
    this.assertUsable('flush');
    const deadline = timeoutMs < 0 ? Infinity : Date.now() + timeoutMs;
    await new Promise<void>((resolve) => this.native.flush(timeoutMs < 0 ? 2_147_483_647 : timeoutMs, () => resolve()));
    // librdkafka has called back for every report; node-rdkafka hands them to JS a batch at a time, served by
    // the in-flight poll timer. Wait for the last one on one promise (polling here cost a timer per batch).
    if (this.#inFlight > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = deadline === Infinity ? undefined : setTimeout(resolve, deadline - Date.now());
        this.#drainWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.#inFlight;
  }

  /**
   * confluent_kafka's `purge()`. node-rdkafka 3.6 has no binding for `rd_kafka_purge`, so this always throws.
   * @throws KafkaException `_NOT_IMPLEMENTED`
   */
  purge(_inQueue = true, _inFlight = true, _blocking = true): never {
    throw new KafkaException(
      ErrorCode._NOT_IMPLEMENTED,
      'purge(): node-rdkafka 3.6 has no binding for rd_kafka_purge; use flush(timeoutMs) and close()',
    );
  }

  /** Registers the transactional id with the coordinator and fences older instances (`transactional.id` required). */
  initTransactions(timeoutMs = 30_000): Promise<void> {
    return this.#tx.init(timeoutMs);
  }
  /** Starts a transaction: what is produced until commit or abort belongs to it. */
  beginTransaction(): Promise<void> {
    return this.#tx.begin();
  }
  /** Adds a consumer's positions to the transaction (consume-transform-produce). */
  sendOffsetsToTransaction(positions: TopicPartitionLike[], groupMetadata: ConsumerGroupMetadata, timeoutMs = 30_000): Promise<void> {
    return this.#tx.sendOffsets(positions, groupMetadata, timeoutMs);
  }
  /** Flushes and commits the transaction. */
  commitTransaction(timeoutMs = 30_000): Promise<void> {
    return this.#tx.commit(timeoutMs);
  }
  /** Aborts the transaction: its messages are never seen by `read_committed` consumers. */
  abortTransaction(timeoutMs = 30_000): Promise<void> {
    return this.#tx.abort(timeoutMs);
  }

  /**
   * Flushes what is queued (up to `timeoutMs`), then disconnects. Messages still undelivered then fail
   * their `produceAsync()` with `_DESTROY`. Safe to call twice.
   * @returns the number of messages that were not delivered
   */
  async close(timeoutMs = 30_000): Promise<number> {
    if (this.state === ClientState.CLOSED || this.state === ClientState.CLOSING) return 0;
    const wasConnected = this.state === ClientState.CONNECTED;
    const left = wasConnected ? await this.flush(timeoutMs).catch(() => this.#inFlight) : 0;
    this.setState(ClientState.CLOSING);
    this.stopPolling();
    clearInterval(this.#idlePollTimer);
    if (wasConnected) await this.disconnectNative(5000);
    else this.releaseUnconnected();
    this.setState(ClientState.CLOSED);
    for (const p of this.#pending) {
      const error = new KafkaError(ErrorCode._DESTROY, 'the producer was closed before the message was delivered');
      p.span?.delivered(error);
      p.settle?.(error, new Message({ topic: p.topic, partition: -1, offset: -1001, error }));
    }
    this.#pending.clear();
    const waiters = [...this.#waiters, ...this.#drainWaiters];
    this.#waiters = [];
    this.#drainWaiters = [];
    for (const w of waiters) w();
    return left;
  }
}

function isRecord(v: unknown): v is ProduceRecord {
  return typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && !(v instanceof Uint8Array);
}
