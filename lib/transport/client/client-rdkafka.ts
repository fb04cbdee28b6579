import { randomUUID } from 'node:crypto';
import { TRANSPORT_PRODUCER_DEFAULTS } from '../server/server-rdkafka.options.js';
import { Logger, type LoggerService } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { connectable, defer, from, mergeMap, Observable, Subject, throwError } from 'rxjs';
import { withUnknownProperties, type ConsumerConfig, type ProducerConfig } from '../../client/config/index.js';
import { Consumer } from '../../client/consumer.js';
import type { Message } from '../../client/message.js';
import { Producer } from '../../client/producer.js';
import { ErrorCode } from '../../errors/index.js';
import {
  BrokerErrorWatch,
  type ConnectBound,
  connectError,
  connectWithin,
  explainDeliveryFailure,
  serversOf,
  settleBy,
} from '../connection/index.js';
import { nestLoggerCallbacks } from '../logging/nest-logger.bridge.js';
import { KafkaHeaders } from '../kafka-headers.enum.js';
import { produceWithBackpressure } from '../produce-with-backpressure.js';
import { RdKafkaStatus } from '../rdkafka-status.enum.js';
import { RdKafkaParser } from '../serdes/rdkafka.parser.js';
import {
  type OutgoingRecord,
  type RdKafkaRecordInit,
  type RdKafkaRecordSerializer,
  RdKafkaRequestSerializer,
} from '../serdes/rdkafka-request.serializer.js';
import { CLIENT_DEFAULTS, CLIENT_PRODUCER_DEFAULTS, type ClientRdKafkaOptions } from './client-rdkafka.options.js';
import { ReplyConsumer } from './reply-consumer.js';
import { ReplyRouter } from './reply-router.js';
import { redactWhenPrinted } from '../../security/index.js';

/** The clients behind a connected `ClientRdKafka` (`unwrap()`). @publicApi */
export interface ClientRdKafkaClients {
  producer: Producer;
  /** Null in `producerOnlyMode`. */
  consumer: Consumer | null;
}

/**
 * A Nest `ClientProxy` on librdkafka, wire-compatible with Nest's Kafka transport: `send()` is a request to
 * topic = pattern with `kafka_correlationId`/`kafka_replyTopic`/`kafka_replyPartition`, answered on
 * `<pattern>.reply`; `emit()` produces an event and resolves with its delivery report. Data shaped
 * `{ key, value, headers, partition, timestamp }` sets those per call. Every request is bounded by
 * `requestTimeoutMs`, connecting included: no reply in time fails it with `RequestTimeoutError`, no connection in
 * time with a `KafkaException` naming the servers and librdkafka's last error. `connect()` (and so a first
 * `emit()`) is bounded by `connectTimeoutMs`, an event's delivery by `message.timeout.ms`.
 * @example ClientsModule.register([{ name: 'ORDERS', customClass: ClientRdKafka, options: { client: { 'bootstrap.servers': 'localhost:9092' } } }])
 * @publicApi
 */
// The status type parameter is `string` (values are RdKafkaStatus) so the class is a `Type<ClientProxy>`, as
// `ClientsModule.register([{ customClass: ClientRdKafka }])` requires. The event map is empty: `on()` is not supported.
export class ClientRdKafka extends ClientProxy<Record<never, never>, string> {
  // The options hold the librdkafka config, secrets included: print them masked.
  static {
    redactWhenPrinted(this);
  }

  private readonly logger: LoggerService;
  private readonly router: ReplyRouter;
  private readonly recordSerializer: RdKafkaRecordSerializer;
  private readonly instanceId = randomUUID();
  /** librdkafka's last word on the brokers: the reason given when connecting or delivering times out. */
  private readonly brokerErrors = new BrokerErrorWatch();
  private readonly requestTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private producer: Producer | null = null;
  private consumer: Consumer | null = null;
  private replies: ReplyConsumer | null = null;
  private connecting: Promise<void> | null = null;
  /** Bumped by close(): a connection attempt of an earlier generation stops at its next step. */
  private generation = 0;
  private readonly responsePatterns = new Set<string>();

  /** @param options librdkafka config and client options */
  constructor(private readonly options: ClientRdKafkaOptions) {
    super();
    // No context on the default: every call passes its own, and a Logger with one would print both.
    this.logger = options.logger ?? new Logger();
    this.requestTimeoutMs = options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs;
    this.router = new ReplyRouter(this.requestTimeoutMs);
    this.recordSerializer =
      options.serializer ?? new RdKafkaRequestSerializer(options.valueSerializer, options.keySerializer, options.serializers);
  }

  /**
   * Prepares the reply path of a pattern at `connect()` (as Nest's `subscribeToResponseOf`). Optional here:
   * the first `send()` of a pattern prepares it too.
   */
  subscribeToResponseOf(pattern: unknown): void {
    this.responsePatterns.add(`${this.normalizePattern(pattern as string)}.reply`);
  }

  /**
   * Connects the producer and the reply consumer within `connectTimeoutMs`; concurrent calls share one attempt,
   * a failed one is retried by the next call.
   * @throws KafkaException naming the bootstrap servers, the bound and librdkafka's last error
   */
  connect(): Promise<Producer> {
    const generation = this.generation;
    this.connecting ??= this.open(this.bound(this.connectTimeoutMs), generation).catch(async (err: unknown) => {
      // After close() the clients are close()'s to shut down, and `connecting` may be a newer attempt's.
      if (generation === this.generation) {
        this.connecting = null;
        await this.shutdown();
      }
      throw err;
    });
    return this.connecting.then(() => this.producer!);
  }

  private bound(timeoutMs: number): ConnectBound {
    const started = Date.now();
    return { servers: serversOf(this.options.client), timeoutMs, started, deadline: started + timeoutMs, watch: this.brokerErrors };
  }

  /** Every step shares the one deadline: librdkafka's own connect timeout would be 30 s per client. */
  private async open(b: ConnectBound, generation: number): Promise<void> {
    const o = this.options;
    const logs = this.brokerErrors.wrap(nestLoggerCallbacks(this.logger, ClientRdKafka.name, o.client));
    this.producer = this.createProducer({
      ...TRANSPORT_PRODUCER_DEFAULTS,
      ...CLIENT_PRODUCER_DEFAULTS,
      ...o.client,
      ...o.producer,
      ...withUnknownProperties(o.client, o.producer),
      ...logs,
    });
    await connectWithin(this.producer, b);
    this.assertOpen(generation);
    if (!o.producerOnlyMode) {
      const group = `${o.consumer?.['group.id'] ?? CLIENT_DEFAULTS.groupId}${o.postfixId ?? CLIENT_DEFAULTS.postfixId}-${this.instanceId}`;
      this.consumer = this.createConsumer({
        ...o.client,
        ...o.consumer,
        ...withUnknownProperties(o.client, o.consumer),
        ...logs,
        'group.id': group,
        'enable.auto.commit': false,
      });
      await connectWithin(this.consumer, b);
      this.assertOpen(generation);
      const parser = new RdKafkaParser({ keepBinary: o.parser?.keepBinary, valueDeserializer: o.valueDeserializer });
      this.replies = new ReplyConsumer(this.consumer, this.producer, this.router, parser, this.logger, o.replyPartition);
      const ready = Promise.all([...this.responsePatterns].map((t) => this.replies!.ensure(t)));
      await settleBy(ready, b.deadline - Date.now(), () => connectError(ErrorCode._TIMED_OUT, b));
      this.assertOpen(generation);
    }
    this._status$.next(RdKafkaStatus.CONNECTED);
  }

  /**
   * Builds the producer and the reply consumer from their final config: the seam unit tests replace (as Nest's
   * `ClientKafka.createClient()`), e.g. with clients on `FakeKafka` (lib/testing). @internal
   */
  protected createConsumer(config: ConsumerConfig): Consumer {
    return new Consumer(config);
  }

  /** See `createConsumer`. @internal */
  protected createProducer(config: ProducerConfig): Producer {
    return new Producer(config);
  }

  private assertOpen(generation: number): void {
    if (generation !== this.generation) throw new Error('Connection closed');
  }

  /**
   * Fails pending requests with "Connection closed" (as Nest's client), flushes and disconnects. During a
   * `connect()` it waits for the attempt's current step (at most `connectTimeoutMs`); the attempt then rejects
   * with "Connection closed".
   */
  async close(): Promise<void> {
    this.generation++;
    this.router.failAll(new Error('Connection closed'));
    const attempt = this.connecting;
    this.connecting = null;
    // A client closed in the middle of its connect() was connected by librdkafka's callback afterwards (its
    // idle poll then threw "Producer not connected" and crashed the process): let the attempt reach its next
    // step, where it stops, before shutting down. Bounded by connectTimeoutMs.
    await attempt?.catch(() => undefined);
    await this.shutdown();
    this._status$.next(RdKafkaStatus.DISCONNECTED);
  }

  private async shutdown(): Promise<void> {
    const [replies, consumer, producer] = [this.replies, this.consumer, this.producer];
    this.replies = null;
    this.consumer = null;
    this.producer = null;
    await replies?.stop();
    await consumer
      ?.close()
      .catch((e: unknown) => this.logger.error(`Reply consumer close failed: ${String(e)}`, undefined, ClientRdKafka.name));
    await producer
      ?.close(10_000)
      .catch((e: unknown) => this.logger.error(`Producer close failed: ${String(e)}`, undefined, ClientRdKafka.name));
  }

  /** @returns `{ producer, consumer }` @throws Error before `connect()` */
  unwrap<T>(): T {
    if (!this.producer) throw new Error('Not initialized. Please call the "connect" method first.');
    return { producer: this.producer, consumer: this.consumer } satisfies ClientRdKafkaClients as T;
  }

  /** Not supported, as on Nest's Kafka client: observe `status` instead. */
  override on(): never {
    throw new Error('Method is not supported for rdkafka client');
  }

  /**
   * Emits several events to one pattern at once (Nest's `emitBatch`); resolves with their delivery reports.
   * @param data `{ messages: [...] }`, each message plain data or `{ key, value, headers, partition, timestamp }`
   */
  emitBatch<TInput = unknown>(pattern: unknown, data: { messages: (TInput | RdKafkaRecordInit<TInput>)[] }): Observable<Message[]> {
    if (pattern === null || pattern === undefined || !data)
      return throwError(() => new Error('The "pattern" and "data" must not be null or undefined'));
    const source = defer(async () => this.connect()).pipe(
      mergeMap(async () => {
        const topic = this.normalizePattern(pattern as string);
        const records = await Promise.all(data.messages.map((m) => this.recordSerializer.serialize(m, { pattern: topic })));
        return Promise.all(records.map((r) => this.produceEvent(topic, r)));
      }),
    );
    const hot = connectable(source, { connector: () => new Subject<Message[]>(), resetOnDisconnect: false });
    hot.connect();
    return hot;
  }

  protected async dispatchEvent<T = Message>(packet: ReadPacket): Promise<T> {
    const topic = this.normalizePattern(packet.pattern);
    const record = await this.recordSerializer.serialize(packet.data, { pattern: topic });
    return (await this.produceEvent(topic, record)) as T;
  }

  /** Produces an event; a delivery that timed out says why. */
  private produceEvent(topic: string, record: OutgoingRecord): Promise<Message> {
    const since = Date.now();
    return this.produce(topic, record).catch((err: unknown) => {
      throw explainDeliveryFailure(err, `event to ${topic}`, since, this.brokerErrors);
    });
  }

  /**
   * Nest's `send()`, with `requestTimeoutMs` counted from the call rather than from the request's produce: Nest
   * connects first, with no bound of its own, so a request to an unreachable cluster waited for librdkafka's
   * 30 s connect timeout and failed with a bare `broker transport failure`.
   */
  override send<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    if (pattern === null || pattern === undefined || data === null || data === undefined) return super.send(pattern, data);
    return defer(() => {
      const deadline = Date.now() + this.requestTimeoutMs;
      return from(this.connectBy(deadline)).pipe(
        mergeMap(
          () =>
            new Observable<TResult>((observer) => this.publishBy(this.packetOf(pattern, data), this.createObserver(observer), deadline)),
        ),
      );
    });
  }

  /** Nest 12's `createPacket`; Nest 11 has none and builds `{ pattern, data }` inline. */
  private packetOf(pattern: unknown, data: unknown): ReadPacket {
    const create = (this as unknown as { createPacket?: (p: unknown, d: unknown) => ReadPacket }).createPacket;
    return typeof create === 'function' ? create.call(this, pattern, data) : { pattern, data };
  }

  /** The shared connection attempt, or a `_TIMED_OUT` error saying why when it outlasts a request's deadline. */
  private connectBy(deadline: number): Promise<Producer> {
    const b = { ...this.bound(this.requestTimeoutMs), deadline };
    return settleBy(this.connect(), deadline - b.started, () => connectError(ErrorCode._TIMED_OUT, b));
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    return this.publishBy(packet, callback, Date.now() + this.requestTimeoutMs);
  }

  private publishBy(packet: ReadPacket, callback: (packet: WritePacket) => void, deadline: number): () => void {
    const id = randomUUID();
    const topic = this.normalizePattern(packet.pattern);
    const teardown = this.router.register(id, topic, callback, deadline - Date.now());
    this.sendRequest(id, topic, packet.data).catch((err: unknown) => this.router.fail(id, err));
    return teardown;
  }

  private async sendRequest(id: string, topic: string, data: unknown): Promise<void> {
    if (!this.replies)
      throw new Error(this.options.producerOnlyMode ? 'send() is not available in producerOnlyMode' : 'The client is not connected');
    const replyTopic = `${topic}.reply`;
    const replyPartition = await this.replies.ensure(replyTopic);
    const record = await this.recordSerializer.serialize(data, { pattern: topic });
    record.headers.push(
      [KafkaHeaders.CORRELATION_ID, Buffer.from(id)],
      [KafkaHeaders.REPLY_TOPIC, Buffer.from(replyTopic)],
      [KafkaHeaders.REPLY_PARTITION, Buffer.from(String(replyPartition))],
    );
    await this.produce(topic, record);
  }

  private produce(topic: string, r: OutgoingRecord): Promise<Message> {
    if (!this.producer) return Promise.reject(new Error('The client is not connected'));
    return produceWithBackpressure(this.producer, topic, {
      value: r.value,
      key: r.key,
      headers: r.headers,
      partition: r.partition,
      timestamp: r.timestamp,
    });
  }
}
