import { randomUUID } from 'node:crypto';
import { TRANSPORT_PRODUCER_DEFAULTS } from '../server/server-rdkafka.options.js';
import { Logger, type LoggerService } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { connectable, defer, mergeMap, type Observable, Subject, throwError } from 'rxjs';
import type { ConsumerConfig, ProducerConfig } from '../../client/config/index.js';
import { Consumer } from '../../client/consumer.js';
import type { Message } from '../../client/message.js';
import { Producer } from '../../client/producer.js';
import { nestLoggerCallbacks } from '../logging/nest-logger.bridge.js';
import { KafkaHeaders } from '../kafka-headers.enum.js';
import { produceWithBackpressure } from '../produce-with-backpressure.js';
import { RdKafkaStatus } from '../rdkafka-status.enum.js';
import { RdKafkaParser } from '../serdes/rdkafka.parser.js';
import { type OutgoingRecord, type RdKafkaRecordInit, type RdKafkaRecordSerializer, RdKafkaRequestSerializer } from '../serdes/rdkafka-request.serializer.js';
import { CLIENT_DEFAULTS, type ClientRdKafkaOptions } from './client-rdkafka.options.js';
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
 * `{ key, value, headers, partition, timestamp }` sets those per call. Every request times out after
 * `requestTimeoutMs` with `RequestTimeoutError`.
 * @example ClientsModule.register([{ name: 'ORDERS', customClass: ClientRdKafka, options: { client: { 'bootstrap.servers': 'localhost:9092' } } }])
 * @publicApi
 */
// The status type parameter is `string` (values are RdKafkaStatus) so the class is a `Type<ClientProxy>`, as
// `ClientsModule.register([{ customClass: ClientRdKafka }])` requires.
export class ClientRdKafka extends ClientProxy<Record<never, Function>, string> {
  // The options hold the librdkafka config, secrets included: print them masked.
  static {
    redactWhenPrinted(this);
  }

  private readonly logger: LoggerService;
  private readonly router: ReplyRouter;
  private readonly recordSerializer: RdKafkaRecordSerializer;
  private readonly instanceId = randomUUID();
  private producer: Producer | null = null;
  private consumer: Consumer | null = null;
  private replies: ReplyConsumer | null = null;
  private connecting: Promise<void> | null = null;
  private readonly responsePatterns = new Set<string>();

  /** @param options librdkafka config and client options */
  constructor(private readonly options: ClientRdKafkaOptions) {
    super();
    // No context on the default: every call passes its own, and a Logger with one would print both.
    this.logger = options.logger ?? new Logger();
    this.router = new ReplyRouter(options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs);
    this.recordSerializer = options.serializer ?? new RdKafkaRequestSerializer(options.valueSerializer, options.keySerializer);
  }

  /**
   * Prepares the reply path of a pattern at `connect()` (as Nest's `subscribeToResponseOf`). Optional here:
   * the first `send()` of a pattern prepares it too.
   */
  subscribeToResponseOf(pattern: unknown): void {
    this.responsePatterns.add(`${this.normalizePattern(pattern as string)}.reply`);
  }

  /** Connects the producer and the reply consumer; concurrent calls share one attempt, a failed one is retried. */
  connect(): Promise<Producer> {
    this.connecting ??= this.open().catch(async (err: unknown) => {
      this.connecting = null;
      await this.shutdown();
      throw err;
    });
    return this.connecting.then(() => this.producer!);
  }

  private async open(): Promise<void> {
    const o = this.options;
    const logs = nestLoggerCallbacks(this.logger, ClientRdKafka.name, o.client);
    this.producer = this.createProducer({ ...TRANSPORT_PRODUCER_DEFAULTS, ...o.client, ...o.producer, ...logs });
    await this.producer.connect();
    if (!o.producerOnlyMode) {
      const group = `${o.consumer?.['group.id'] ?? CLIENT_DEFAULTS.groupId}${o.postfixId ?? CLIENT_DEFAULTS.postfixId}-${this.instanceId}`;
      this.consumer = this.createConsumer({ ...o.client, ...o.consumer, ...logs, 'group.id': group, 'enable.auto.commit': false });
      await this.consumer.connect();
      const parser = new RdKafkaParser({ keepBinary: o.parser?.keepBinary, valueDeserializer: o.valueDeserializer });
      this.replies = new ReplyConsumer(this.consumer, this.producer, this.router, parser, this.logger, o.replyPartition);
      await Promise.all([...this.responsePatterns].map((t) => this.replies!.ensure(t)));
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

  /** Fails pending requests with "Connection closed" (as Nest's client), flushes and disconnects. */
  async close(): Promise<void> {
    this.router.failAll(new Error('Connection closed'));
    this.connecting = null;
    await this.shutdown();
    this._status$.next(RdKafkaStatus.DISCONNECTED);
  }

  private async shutdown(): Promise<void> {
    const [replies, consumer, producer] = [this.replies, this.consumer, this.producer];
    this.replies = null;
    this.consumer = null;
    this.producer = null;
    await replies?.stop();
    await consumer?.close().catch((e: unknown) => this.logger.error(`Reply consumer close failed: ${String(e)}`, undefined, ClientRdKafka.name));
    await producer?.close(10_000).catch((e: unknown) => this.logger.error(`Producer close failed: ${String(e)}`, undefined, ClientRdKafka.name));
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
    if (pattern === null || pattern === undefined || !data) return throwError(() => new Error('The "pattern" and "data" must not be null or undefined'));
    const source = defer(async () => this.connect()).pipe(mergeMap(async () => {
      const topic = this.normalizePattern(pattern as string);
      const records = await Promise.all(data.messages.map((m) => this.recordSerializer.serialize(m, { pattern: topic })));
      return Promise.all(records.map((r) => this.produce(topic, r)));
    }));
    const hot = connectable(source, { connector: () => new Subject<Message[]>(), resetOnDisconnect: false });
    hot.connect();
    return hot;
  }

  protected async dispatchEvent<T = Message>(packet: ReadPacket): Promise<T> {
    const topic = this.normalizePattern(packet.pattern);
    const record = await this.recordSerializer.serialize(packet.data, { pattern: topic });
    return (await this.produce(topic, record)) as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const id = randomUUID();
    const topic = this.normalizePattern(packet.pattern);
    const teardown = this.router.register(id, topic, callback);
    this.sendRequest(id, topic, packet.data).catch((err: unknown) => this.router.fail(id, err));
    return teardown;
  }

  private async sendRequest(id: string, topic: string, data: unknown): Promise<void> {
    if (!this.replies) throw new Error(this.options.producerOnlyMode ? 'send() is not available in producerOnlyMode' : 'The client is not connected');
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
    return produceWithBackpressure(this.producer, topic, { value: r.value, key: r.key, headers: r.headers, partition: r.partition, timestamp: r.timestamp });
  }
}
