import type { LoggerService, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ClientState } from '../client/client-state.js';
import type { Message } from '../client/message.js';
import { Producer } from '../client/producer.js';
import { TRANSPORT_PRODUCER_DEFAULTS } from '../transport/server/server-rdkafka.options.js';
import { withUnknownProperties, type ClientConfig, type ProducerConfig } from '../client/config/index.js';
import type { Serializer } from '../serdes/serializer.interface.js';
import { CLIENT_PRODUCER_DEFAULTS } from '../transport/client/client-rdkafka.options.js';
import { BrokerErrorWatch, connectWithin, explainDeliveryFailure, serversOf } from '../transport/connection/index.js';
import { nestLoggerCallbacks } from '../transport/logging/nest-logger.bridge.js';
import { produceWithBackpressure } from '../transport/produce-with-backpressure.js';
import { type RdKafkaRecordInit, RdKafkaRequestSerializer } from '../transport/serdes/rdkafka-request.serializer.js';
import { LOG_CONTEXT, RDKAFKA_MODULE_DEFAULTS } from './rdkafka.constants.js';

/** What `RdKafkaProducerService` is built from. @publicApi */
export interface RdKafkaProducerServiceOptions {
  /** librdkafka properties and callbacks shared with the module's other clients. */
  client: ClientConfig;
  /** Producer properties. @default {} */
  producer?: Partial<ProducerConfig>;
  /** Encodes values instead of Nest's JSON rules. @default JSON */
  serializer?: Serializer;
  /** Where the service and librdkafka log. */
  logger: LoggerService;
  /** How long `close()` waits for queued messages. @default 15000 */
  shutdownTimeoutMs?: number;
  /**
   * How long connecting may take (at start-up, or on the first `emit()` when that comes first) before it fails
   * with a `KafkaException` naming the servers and librdkafka's last error. @default 10000
   */
  connectTimeoutMs?: number;
}

/** How long connecting may take by default, in ms (librdkafka's own bound is 30 s). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Produces events from HTTP controllers and other providers, encoded as `ClientRdKafka.emit()` encodes them
 * (Nest's Kafka rules), so `@EventPattern` handlers of `ServerRdKafka` and of Nest's own Kafka transport read
 * them. `emit()` resolves with the delivery report; `dispatch()` is send-and-forget (a failure is logged, never
 * an unhandled rejection). Connecting is bounded by `connectTimeoutMs`, a delivery by `message.timeout.ms`
 * (30 s unless set); either failure says what failed. On application shutdown it delivers what is queued (bounded) and disconnects.
 * @example
 * constructor(private readonly events: RdKafkaProducerService) {}
 * await this.events.emit('order-created', { key: order.id, value: order });
 * @publicApi
 */
export class RdKafkaProducerService implements OnModuleInit, OnApplicationShutdown {
  readonly #producer: Producer;
  readonly #records: RdKafkaRequestSerializer;
  readonly #logger: LoggerService;
  readonly #shutdownTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #servers: string;
  /** librdkafka's last word on the brokers: the reason given when connecting or delivering times out. */
  readonly #brokerErrors = new BrokerErrorWatch();
  /** Sends still being serialized or awaiting delivery: close() waits for them. */
  readonly #pending = new Set<Promise<unknown>>();

  /** @param options the shared config, producer properties, serializer and logger */
  constructor(options: RdKafkaProducerServiceOptions) {
    this.#logger = options.logger;
    this.#shutdownTimeoutMs = options.shutdownTimeoutMs ?? RDKAFKA_MODULE_DEFAULTS.shutdownTimeoutMs;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.#servers = serversOf(options.client);
    const logs = this.#brokerErrors.wrap(nestLoggerCallbacks(options.logger, LOG_CONTEXT.producer, options.client));
    this.#producer = new Producer({
      ...TRANSPORT_PRODUCER_DEFAULTS,
      ...CLIENT_PRODUCER_DEFAULTS,
      ...options.client,
      ...options.producer,
      ...withUnknownProperties(options.client, options.producer),
      ...logs,
    });
    this.#records = new RdKafkaRequestSerializer(options.serializer);
  }

  /** Connects, so a wrong address fails the application's start rather than its first emit. */
  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  /** Connects within `connectTimeoutMs` (at once when connected; concurrent calls share the attempt). */
  private connect(): Promise<void> {
    const started = Date.now();
    const b = {
      servers: this.#servers,
      timeoutMs: this.#connectTimeoutMs,
      started,
      deadline: started + this.#connectTimeoutMs,
      watch: this.#brokerErrors,
    };
    return connectWithin(this.#producer, b);
  }

  /** Delivers what is queued (within `shutdownTimeoutMs`) and disconnects. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /**
   * Produces one event and resolves with its delivery report.
   * @param topic the topic (the `@EventPattern` of the handler)
   * @param data the value, or `{ key, value, headers, partition, timestamp }` to set those
   * @returns the delivery report (topic, partition, offset)
   * @throws KafkaException when the message cannot be delivered (`_MSG_TIMED_OUT`, `_STATE` after close…),
   *   a serialization error when the value cannot be encoded
   */
  emit<T = unknown>(topic: string, data: T | RdKafkaRecordInit<T>): Promise<Message> {
    return this.track(this.produce(topic, data));
  }

  /**
   * Produces several events to one topic; resolves with their delivery reports once all are delivered.
   * @throws KafkaException as `emit()`, for the first message that fails
   */
  emitBatch<T = unknown>(topic: string, messages: readonly (T | RdKafkaRecordInit<T>)[]): Promise<Message[]> {
    return this.track(Promise.all(messages.map((m) => this.produce(topic, m))));
  }

  /**
   * Send-and-forget: produces an event without waiting; a failure is logged with the topic.
   * `flush()` or the application's shutdown waits for it.
   */
  dispatch<T = unknown>(topic: string, data: T | RdKafkaRecordInit<T>): void {
    this.emit(topic, data).catch((err: unknown) =>
      this.#logger.error(`Event to ${topic} was not delivered: ${String(err)}`, (err as Error)?.stack, LOG_CONTEXT.producer),
    );
  }

  /**
   * Waits until everything emitted so far is delivered (or failed).
   * @param timeoutMs how long to wait @default 15000 (shutdownTimeoutMs)
   * @returns how many messages are still in flight (0 when all were reported)
   */
  async flush(timeoutMs = this.#shutdownTimeoutMs): Promise<number> {
    await settleWithin([...this.#pending], timeoutMs);
    return this.#producer.flush(timeoutMs);
  }

  /** Messages emitted and not delivered yet (including those still being serialized). */
  get pending(): number {
    return Math.max(this.#pending.size, this.#producer.length);
  }

  /** The producer's life-cycle state (`connected`, `closed`…). */
  get state(): ClientState {
    return this.#producer.state;
  }

  /** The client-layer `Producer` underneath (transactions, metadata). */
  unwrap(): Producer {
    return this.#producer;
  }

  /**
   * Waits for sends still being serialized, delivers what is queued and disconnects, all within `timeoutMs`.
   * @returns the number of messages that were not delivered
   */
  async close(timeoutMs = this.#shutdownTimeoutMs): Promise<number> {
    const started = Date.now();
    await settleWithin([...this.#pending], timeoutMs);
    const left = await this.#producer.close(Math.max(0, timeoutMs - (Date.now() - started)));
    if (left > 0) this.#logger.warn(`${left} messages were not delivered before shutdown`, LOG_CONTEXT.producer);
    return left;
  }

  private async produce(topic: string, data: unknown): Promise<Message> {
    // connect() returns at once when connected; it lets a provider emit from its own onModuleInit.
    await this.connect();
    const r = await this.#records.serialize(data, { pattern: topic });
    const since = Date.now();
    return produceWithBackpressure(this.#producer, topic, {
      value: r.value,
      key: r.key,
      headers: r.headers,
      partition: r.partition,
      timestamp: r.timestamp,
    }).catch((err: unknown) => {
      throw explainDeliveryFailure(err, `event to ${topic}`, since, this.#brokerErrors);
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.#pending.add(p);
    const done = (): void => void this.#pending.delete(p);
    p.then(done, done);
    return p;
  }
}

/** Resolves when every promise settled or `ms` passed, whichever comes first. */
function settleWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void Promise.allSettled(promises).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
