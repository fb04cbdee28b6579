import { Logger, type LoggerService } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server, type WritePacket } from '@nestjs/microservices';
import { ReplaySubject, type Observable } from 'rxjs';
import { withUnknownProperties, type ConsumerConfig, type ProducerConfig } from '../../client/config/index.js';
import { Consumer } from '../../client/consumer.js';
import type { Message } from '../../client/message.js';
import { Producer } from '../../client/producer.js';
import { RdKafkaContext } from '../context/rdkafka.context.js';
import { nestLoggerCallbacks } from '../logging/nest-logger.bridge.js';
import { RdKafkaStatus } from '../rdkafka-status.enum.js';
import { RdKafkaParser, type RdKafkaParsedMessage } from '../serdes/rdkafka.parser.js';
import { RdKafkaRequestSerializer } from '../serdes/rdkafka-request.serializer.js';
import { anyHandlerDeserializers, handlerDeserializers } from '../serdes/topic-deserializers.js';
import { BatchDispatcher } from './batch/batch-dispatcher.js';
import { BatchHandlers } from './batch/batch-handlers.js';
import type { LoopBatches } from './batch/loop-batches.js';
import type { RdKafkaBatchContext } from '../context/rdkafka-batch.context.js';
import type { FailureRouter } from './dead-letter/failure-router.js';
import { serverErrorPolicy, serverFailureRouter } from './dead-letter/server-failures.js';
import { HandlerWatchdog } from './handler-watchdog.js';
import { isPatternInScope } from './handler-scope.js';
import { firstEmission, runEventHandler, swallow } from './handler-run.js';
import { assertNestServerSupported, handleRequest, type ProcessingHooks } from './nest-compat.js';
import { RecordDispatcher, type RecordDispatcherOptions } from './record-dispatcher.js';
import type { ReplyAddress } from './reply-address.js';
import { ReplyPublisher } from './reply-publisher.js';
import {
  SERVER_CONSUMER_DEFAULTS,
  SERVER_DEFAULTS,
  SERVER_PRODUCER_DEFAULTS,
  type ServerRdKafkaOptions,
} from './server-rdkafka.options.js';
import { ServerConsumeLoop } from './server-consume-loop.js';
import { redactWhenPrinted } from '../../security/index.js';
import { failureListener } from '../../observability/failure-listener.js';
import { RdKafkaMetrics } from '../../observability/metrics/rdkafka-metrics.js';
import { measuredBatches, measuredDispatcher } from '../../observability/metrics/transport/measured-dispatcher.js';
import { KafkaTracing, tracedDispatcher } from '../../observability/tracing/index.js';

const NO_MESSAGE_HANDLER = 'There is no matching message handler defined in the remote service.';
/** How long close() lets the producer deliver replies still in flight: at most, and at least. */
const [PRODUCER_FLUSH_MS, MIN_FLUSH_MS] = [5000, 1000];

/**
 * A Nest 12 custom transport strategy on librdkafka, wire-compatible with Nest's Kafka transport. Every
 * `@MessagePattern`/`@EventPattern` pattern (a string or a RegExp) is a topic the one consumer subscribes to;
 * records are decoded like Nest's KafkaParser and run through Nest's pipeline (guards, pipes, interceptors,
 * filters). Offsets are stored only after a handler, and what it returned, completed (at-least-once).
 * @example NestFactory.createMicroservice(AppModule, { strategy: new ServerRdKafka({ client: { 'bootstrap.servers': 'localhost:9092' } }) })
 * @publicApi
 */
// The event map is empty: `on()` is not supported.
export class ServerRdKafka extends Server<Record<string, never>, RdKafkaStatus> implements CustomTransportStrategy {
  // The options hold the librdkafka config, secrets included: print them masked.
  static {
    redactWhenPrinted(this);
  }

  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger: LoggerService;
  private readonly parser: RdKafkaParser;
  private readonly replies: ReplyPublisher;
  private readonly watchdog: HandlerWatchdog;
  private readonly tracing: KafkaTracing | null;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private loop: ServerConsumeLoop | null = null;
  private closing = new AbortController();
  /** The server's metrics (`options.metrics`); null without them. */
  readonly metrics: RdKafkaMetrics | null;
  /** Retry and dead-letter topics; undefined when the error policy never sends records there. */
  private failures: FailureRouter | undefined;

  /** Handler per topic, resolved once (see getHandlerByPattern). */
  private readonly handlerCache = new Map<string, MessageHandler | null>();
  /** The pattern that matched each topic, for log lines. */
  private readonly patternCache = new Map<string, string>();
  /** The batch bounds of each topic's handler (batch handlers). */
  private readonly batchHandlers = new BatchHandlers((topic) => this.getHandlerByPattern(topic));

  /** Nest's no-op start hook, to tell whether one was set. */
  private readonly defaultStartHook = this.onProcessingStartHook;

  /** @param options librdkafka config and transport options */
  constructor(private readonly options: ServerRdKafkaOptions) {
    super();
    // No context on the default: every call passes its own, and a Logger with one would print both.
    this.logger = options.logger ?? new Logger();
    this.parser = new RdKafkaParser({
      keepBinary: options.parser?.keepBinary,
      valueDeserializer: options.valueDeserializer,
      keyDeserializer: options.keyDeserializer,
      deserializers: options.deserializers,
      sourceTopic: (t) => this.failures?.sourceOf(t),
      handlerDeserializers: {
        forTopic: (t) => handlerDeserializers(this.getHandlerByPattern(t)),
        any: () => anyHandlerDeserializers(this.messageHandlers.values()),
      },
    });
    this.replies = new ReplyPublisher(() => this.producer!, {
      serializer: options.serializer ?? new RdKafkaRequestSerializer(options.valueSerializer),
      logger: this.logger,
      timeoutMs: options.replyTimeoutMs ?? SERVER_DEFAULTS.replyTimeoutMs,
    });
    this.watchdog = new HandlerWatchdog({
      timeoutMs: options.handlerTimeoutMs ?? SERVER_DEFAULTS.handlerTimeoutMs,
      warnAfterMs: options.slowHandlerWarnMs ?? SERVER_DEFAULTS.slowHandlerWarnMs,
      logger: this.logger,
    });
    this.tracing = KafkaTracing.create(options.tracing ?? SERVER_DEFAULTS.tracing);
    if (options.transportId !== undefined) this.setTransportId(options.transportId);
    const m = options.metrics;
    this.metrics = m === undefined ? null : m instanceof RdKafkaMetrics ? m : new RdKafkaMetrics(m, this.logger);
  }

  /** RegExp patterns are kept as they are (Nest 12.1's Kafka rule), so they can become regex subscriptions. */
  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    this.handlerCache.clear();
    this.patternCache.clear();
    this.batchHandlers.clear();
    const topic = pattern instanceof RegExp ? pattern : this.normalizePattern(pattern as string);
    if (!isPatternInScope(topic, this.options.topics)) return;
    if (!(pattern instanceof RegExp)) return super.addHandler(pattern, callback, isEventHandler, extras);
    callback.isEventHandler = isEventHandler;
    callback.extras = extras;
    const handlers = this.messageHandlers as unknown as Map<unknown, MessageHandler>;
    const existing = [...handlers.keys()].find((k) => k instanceof RegExp && k.source === pattern.source && k.flags === pattern.flags);
    if (existing && isEventHandler) {
      let tail = handlers.get(existing)!;
      while (tail.next) tail = tail.next;
      tail.next = callback;
    } else handlers.set(pattern, callback);
  }

  /**
   * Exact patterns first, then the first RegExp pattern matching the topic. Cached per topic: Nest's lookup
   * tries `JSON.parse` on the pattern and catches the exception, which cost a fifth of the CPU per record.
   */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    let handler = this.handlerCache.get(pattern);
    if (handler === undefined) {
      handler = this.findHandler(pattern);
      this.handlerCache.set(pattern, handler);
    }
    return handler;
  }

  private findHandler(pattern: string): MessageHandler | null {
    // A retry topic is served by its source topic's handler.
    const source = this.failures?.sourceOf(pattern);
    if (source !== undefined) return this.getHandlerByPattern(source);
    const exact = super.getHandlerByPattern(pattern);
    this.patternCache.set(pattern, pattern);
    if (exact) return exact;
    for (const [registered, handler] of this.messageHandlers as unknown as Map<unknown, MessageHandler>) {
      if (registered instanceof RegExp) {
        registered.lastIndex = 0;
        const hit = registered.test(pattern);
        registered.lastIndex = 0;
        if (hit) return (this.patternCache.set(pattern, String(registered)), handler);
      }
    }
    return null;
  }

  /** Connects, subscribes to every handler's topic and starts consuming; calls `callback(err)` on failure. */
  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (err) {
      this._status$.next(RdKafkaStatus.CRASHED);
      await this.shutdownClients().catch(() => undefined);
      this.metrics?.stop();
      callback(err);
    }
  }

  private async start(): Promise<void> {
    assertNestServerSupported(this);
    const o = this.options;
    const metrics = this.metrics;
    // With metrics, the clients' statistics feed them (stats_cb chained before the application's).
    const client = metrics?.instrumentConfig(o.client) ?? o.client;
    const postfix = o.postfixId ?? SERVER_DEFAULTS.postfixId;
    const logs = nestLoggerCallbacks(this.logger, ServerRdKafka.name, client);
    const groupId = `${o.consumer?.['group.id'] ?? SERVER_DEFAULTS.groupId}${postfix}`;
    this.closing = new AbortController();
    this.producer = this.createProducer({
      ...SERVER_PRODUCER_DEFAULTS,
      ...client,
      ...o.producer,
      ...withUnknownProperties(client, o.producer),
      ...logs,
    });
    const consumer = this.createConsumer({
      ...SERVER_CONSUMER_DEFAULTS,
      ...client,
      ...o.consumer,
      ...withUnknownProperties(client, o.consumer),
      ...logs,
      'group.id': groupId,
      // Offsets are committed by us once a record is finished (see ServerConsumeLoop); in manual mode
      // nothing is committed unless the handler asks.
      'enable.auto.offset.store': false,
      'enable.auto.commit': false,
      // The loop's asynchronous commits report only here: it logs a refused one and keeps its offsets.
      on_commit: (error, partitions) => {
        this.loop?.onCommitted(error, partitions);
        o.consumer?.on_commit?.(error, partitions);
      },
    });
    this.consumer = consumer;
    const concurrency = o.concurrency ?? SERVER_DEFAULTS.concurrency;
    const handlers = this.messageHandlers as unknown as Map<unknown, MessageHandler>;
    const ctx = { groupId, logger: this.logger, signal: this.closing.signal };
    this.failures = serverFailureRouter(o, handlers, () => this.producer!, ctx);
    this.handlerCache.clear();
    const dispatchOptions = {
      parser: this.parser,
      logger: this.logger,
      policy: serverErrorPolicy(o),
      maxValueBytes: o.maxValueBytes ?? Number.POSITIVE_INFINITY,
      signal: this.closing.signal,
      watchdog: this.watchdog,
      onFailure: failureListener(metrics, this.tracing),
      failures: this.failures,
    };
    const dispatcher = new RecordDispatcher(this.dispatchTarget(), dispatchOptions);
    const largestBatch = BatchHandlers.check(this.messageHandlers.values());
    // Room for two full batches: one handled while the next forms.
    const maxBuffered = o.maxBufferedRecords ?? Math.max(SERVER_DEFAULTS.maxBufferedRecords, 4 * concurrency, 2 * largestBatch);
    await this.producer.connect();
    await consumer.connect();
    metrics?.start();
    metrics?.watchBuffer(groupId, { buffered: () => this.loop?.flow.size ?? 0, capacity: maxBuffered });
    // Tracing outside metrics: a record's span covers its measured handling.
    const measured = metrics ? measuredDispatcher(dispatcher, metrics, groupId) : dispatcher;
    this.loop = new ServerConsumeLoop(consumer, tracedDispatcher(measured, this.tracing, groupId), {
      concurrency,
      byKey: (o.orderBy ?? SERVER_DEFAULTS.orderBy) === 'key',
      batchSize: o.batchSize ?? SERVER_DEFAULTS.batchSize,
      maxBuffered,
      manualCommit: o.manualCommit ?? false,
      drainTimeoutMs: o.closeTimeoutMs ?? SERVER_DEFAULTS.closeTimeoutMs,
      commitIntervalMs: Number(o.consumer?.['auto.commit.interval.ms'] ?? SERVER_DEFAULTS.commitIntervalMs),
      logger: this.logger,
      groupId,
      onStatus: (s) => this._status$.next(s),
      batches: largestBatch > 0 ? this.loopBatches(dispatchOptions, metrics, groupId) : undefined,
      onRebalance: metrics ? (kind) => metrics.rebalanced(groupId, kind) : undefined,
    });
    const topics = [...handlers.keys()].map((p) => (p instanceof RegExp ? p : String(p)));
    topics.push(...(this.failures?.retryTopics ?? []));
    await this.loop.start(topics);
    this._status$.next(RdKafkaStatus.CONNECTED);
  }

  /**
   * Builds the server's consumer and producer from their final config: the seam unit tests replace (as Nest's
   * `ServerKafka.createClient()`), e.g. with clients on `FakeKafka` (lib/testing). @internal
   */
  protected createConsumer(config: ConsumerConfig): Consumer {
    return new Consumer(config);
  }

  /** See `createConsumer`. @internal */
  protected createProducer(config: ProducerConfig): Producer {
    return new Producer(config, { tracing: this.options.tracing });
  }

  /**
   * Stops fetching, lets running handlers finish (up to `closeTimeoutMs`), commits what finished, leaves the
   * group and disconnects the producer. Status ends `stopped`.
   */
  async close(): Promise<void> {
    this.closing.abort();
    await this.loop?.stop();
    this.watchdog.stop();
    await this.shutdownClients();
    this.metrics?.stop();
    this._status$.next(RdKafkaStatus.STOPPED);
  }

  private async shutdownClients(): Promise<void> {
    const [consumer, producer, loop] = [this.consumer, this.producer, this.loop];
    this.loop = null;
    this.consumer = null;
    this.producer = null;
    await consumer?.close().catch((e: unknown) => this.logger.error(`Consumer close failed: ${String(e)}`, undefined, ServerRdKafka.name));
    // Replies still in flight get what is left of closeTimeoutMs, at least a second to be delivered.
    const flushMs = Math.min(PRODUCER_FLUSH_MS, Math.max(MIN_FLUSH_MS, loop?.drainLeftMs() ?? PRODUCER_FLUSH_MS));
    await producer
      ?.close(flushMs)
      .catch((e: unknown) => this.logger.error(`Producer close failed: ${String(e)}`, undefined, ServerRdKafka.name));
  }

  /** Why the status is `unauthorized`: the refused topic or group and the broker's error; null otherwise. */
  get statusReason(): string | null {
    return this.loop?.accessProblem ?? null;
  }

  /** Resumes a partition paused by the `stop` error policy (or by a handler); fetching restarts at the failed record. */
  resume(topic: string, partition: number): void {
    this.loop?.resume(topic, partition);
  }

  /** Not supported, as on Nest's Kafka server: observe `status` instead. */
  on(): never {
    throw new Error('Method is not supported for rdkafka server');
  }

  /** @returns `[consumer, producer]` @throws Error before `listen()` */
  unwrap<T>(): T {
    if (!this.consumer || !this.producer)
      throw new Error('Not initialized. Please call the "listen"/"startAllMicroservices" method before accessing the server.');
    return [this.consumer, this.producer] as T;
  }

  private dispatchTarget() {
    return {
      getHandler: (topic: string) => this.getHandlerByPattern(topic),
      runEvent: (handler: MessageHandler, data: unknown, ctx: RdKafkaContext | RdKafkaBatchContext) => this.runEvent(handler, data, ctx),
      runRequest: (handler: MessageHandler | null, data: unknown, ctx: RdKafkaContext, to: ReplyAddress) =>
        this.runRequest(handler, data, ctx, to),
      replyError: (to: ReplyAddress, message: string) => this.replies.publish({ err: { status: 'error', message }, isDisposed: true }, to),
      patternOf: (topic: string) => this.patternCache.get(topic) ?? topic,
      createContext: (parsed: RdKafkaParsedMessage, raw: Message) =>
        new RdKafkaContext([parsed, raw, this.consumer!, this.producer!, this.loop!.controlsFor(raw)]),
    };
  }

  /** The batch handlers' part of the loop, counted by the metrics when they are on. */
  private loopBatches(options: RecordDispatcherOptions, metrics: RdKafkaMetrics | null, groupId: string): LoopBatches {
    const batches = this.batchHandlers.forLoop(new BatchDispatcher(this.dispatchTarget(), options));
    return metrics ? measuredBatches(batches, metrics, groupId) : batches;
  }

  /** Nest's processing hooks, called the same way on Nest 11 and 12 (see nest-compat.ts). */
  private readonly hooks: ProcessingHooks = {
    start: (ctx, done) => this.onProcessingStartHook(this.transportId!, ctx, done),
    end: (ctx) => this.onProcessingEndHook?.(this.transportId!, ctx),
  };

  /** True when something (e.g. tracing) set Nest's processing start or end hook. */
  private hasProcessingHooks(): boolean {
    return this.onProcessingStartHook !== this.defaultStartHook || this.onProcessingEndHook !== undefined;
  }

  /** Awaits the handler and what it returned, between Nest's processing hooks; rejects when it fails. */
  private runEvent(handler: MessageHandler, data: unknown, ctx: RdKafkaContext | RdKafkaBatchContext): Promise<unknown> {
    return runEventHandler(this.hasProcessingHooks() ? this.hooks : null, handler, data, ctx);
  }

  /**
   * Runs a request handler once its reply address is admitted (see ReplyPublisher.admit); resolves once the
   * final reply is produced, or could not be (see DispatchTarget.runRequest).
   */
  private async runRequest(handler: MessageHandler | null, data: unknown, ctx: RdKafkaContext, to: ReplyAddress): Promise<void> {
    const admitted = this.replies.admit(to);
    if (admitted !== true && !(await admitted)) return;
    if (!handler) return this.replies.publish({ err: NO_MESSAGE_HANDLER, isDisposed: true }, to);
    return new Promise<void>((resolve, reject) => {
      const respond = async (packet: WritePacket): Promise<void> => {
        this.tracing?.replied(packet);
        await this.replies.publish(packet, to);
        if (packet.isDisposed) resolve();
      };
      const started = handleRequest(
        { hooks: this.hooks, send: (stream$, reply) => this.send(stream$, reply) },
        ctx,
        async () => {
          const response$ = this.transformToObservable(handler(data, ctx)) as Observable<unknown>;
          const replay = new ReplaySubject<unknown>();
          try {
            await firstEmission(response$, replay);
          } catch (err) {
            reject(err);
            throw err;
          }
          return replay;
        },
        respond,
      );
      swallow(started);
    });
  }
}
