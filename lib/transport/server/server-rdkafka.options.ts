import type { LoggerService } from '@nestjs/common';
import type { Transport } from '@nestjs/microservices';
import type { ClientConfig, ConsumerConfig, ProducerConfig } from '../../client/config/index.js';
import type { Deserializer, Serializer } from '../../serdes/serializer.interface.js';
import type { RdKafkaRecordSerializer } from '../serdes/rdkafka-request.serializer.js';
import type { TopicDeserializers } from '../serdes/topic-deserializers.js';
import type { HandlerErrorPolicy } from './handler-error.policy.js';

/**
 * Options of `ServerRdKafka`. librdkafka properties keep their dotted names (`client` for both clients,
 * `consumer`/`producer` for one); our own options are camelCase and times are milliseconds.
 * @publicApi
 */
export interface ServerRdKafkaOptions {
  /** librdkafka properties and callbacks shared by the consumer and the producer (`bootstrap.servers`, SASL…). */
  client: ClientConfig;
  /**
   * Consumer properties. `group.id` gets `postfixId` appended, as in Nest.
   * @default { 'group.id': 'nest-rdkafka-group', 'auto.offset.reset': 'earliest', 'fetch.queue.backoff.ms': 100 }
   */
  consumer?: Partial<ConsumerConfig>;
  /**
   * Producer properties (replies, `ctx.getProducer()`). `allow.auto.create.topics` is off by default here: a
   * reply topic comes from a request header, and a reply must never create a topic. Turning it on lets the
   * server's metadata lookup and replies create topics again.
   * @default { 'linger.ms': 1, 'allow.auto.create.topics': false }
   */
  producer?: Partial<ProducerConfig>;
  /**
   * Appended to `group.id` (and `client.id`), as Nest's `postfixId`. Never share a group with a kafkajs-based
   * service: librdkafka and kafkajs members cannot join one group.
   * @default '-server'
   */
  postfixId?: string;
  /**
   * Nest's transport id of this server: with one, Nest registers here only the handlers declared for it
   * (`@EventPattern(topic, id)`, `@MessagePattern(topic, id)`) and those declared without one, so two servers
   * in one app (two clusters) do not both subscribe to every handler's topic. `RdKafkaModule` sets
   * `rdKafkaTransportId(name)` for a named module.
   * @default undefined (every handler of the app, Nest's rule)
   */
  transportId?: Transport | symbol;
  /**
   * The topics (or RegExps) this server serves: handlers of other patterns are not registered here, whatever
   * their transport id. The other way to scope two servers in one app, with handlers left as they are.
   * @default undefined (every handler's topic)
   */
  topics?: readonly (string | RegExp)[];
  /**
   * Handlers running at once, across the lanes `orderBy` defines. With the default `orderBy: 'partition'` that is
   * one handler per assigned partition, for up to this many partitions at once: a slow or retrying record holds up
   * only its own partition, and each partition keeps its offset order (the order Nest's built-in transport keeps;
   * with kafkajs's default `partitionsConsumedConcurrently` of 1 it also handles one partition at a time). At 1
   * every record of every topic waits for the one before it: three 1.5 s events on one topic held a fast event on
   * another topic back by 4.5 s. With more partitions than this the slots are shared: a lane gives its slot to the
   * next ready one after a turn of 64 records, but a hung handler keeps its slot until `handlerTimeoutMs`.
   * Partitions stay independent only while the buffer has room: a slow partition with a backlog of more than
   * `maxBufferedRecords` fills it, and fetching waits for it (raise the buffer, or give that topic its own server).
   * @default 16
   */
  concurrency?: number;
  /**
   * What keeps its order. `'partition'`: every record of a partition waits for the one before it, requests
   * included (Nest's built-in transport keeps this order). `'key'` (opt-in, more parallelism): records of one
   * partition with one key keep their order, records with different keys and keyless requests (correlated by id)
   * run at once, and keyless events keep partition order. Either way at-least-once holds: a partition's offset
   * is committed only past records that all finished.
   * @default 'partition'
   */
  orderBy?: 'key' | 'partition';
  /**
   * What happens when an event handler fails or a handler runs past `handlerTimeoutMs` (see HandlerErrorPolicy).
   * @default DEFAULT_HANDLER_ERROR_POLICY (3 retries, then skip)
   */
  errorPolicy?: HandlerErrorPolicy;
  /**
   * Never commit on our own: handlers call `RdKafkaContext.commit()`. Records not committed are delivered again
   * after a restart or rebalance. @default false
   */
  manualCommit?: boolean;
  /** Records fetched per `consume()` call. @default 250 */
  batchSize?: number;
  /**
   * Records fetched and not finished at most, all partitions together; fetching waits above it, for every
   * partition (see `concurrency`). librdkafka prefetches into its own (native) queue anyway, so a larger JS-side
   * buffer only keeps more records alive on the heap.
   * @default max(500, 4 * concurrency): 500 with the default concurrency
   */
  maxBufferedRecords?: number;
  /** Records whose value is larger are logged and skipped, never handed to a handler. @default unlimited */
  maxValueBytes?: number;
  /**
   * How long `close()` waits for running handlers (the drain on stop and the revocation on leaving the group
   * share this one deadline) before leaving the group anyway; records not finished are delivered again.
   * @default 10000
   */
  closeTimeoutMs?: number;
  /**
   * How long a reply may take from serializing to its delivery report. Past it the reply counts as not sent: it
   * is logged with its correlation id and the request is committed (librdkafka may still deliver the record
   * later, until its own `message.timeout.ms`). A request's caller usually stops waiting sooner.
   * @default 10000
   */
  replyTimeoutMs?: number;
  /**
   * Time limit of one handler run (with the stream it returns and, for a request, its replies). On expiry the
   * run fails with `HandlerTimeoutError` through `errorPolicy`. A promise cannot be cancelled: the expired run
   * goes on, its late result is ignored (a retry may overlap it). 0 = no limit. The default stays well below
   * librdkafka's `max.poll.interval.ms` (300 s): a buffer full of records behind a hung handler stops `consume()`
   * calls, and past that interval the consumer would leave the group.
   * @default 60000
   */
  handlerTimeoutMs?: number;
  /** A handler still running after this long is logged once, as a warning naming pattern and record. 0 = never. @default 10000 */
  slowHandlerWarnMs?: number;
  /** Nest's parser option: `keepBinary` leaves values as Buffers. */
  parser?: { keepBinary?: boolean };
  /** Decodes values instead of the JSON rules (e.g. an Avro deserializer). */
  valueDeserializer?: Deserializer;
  /** Decodes keys instead of the JSON rules. */
  keyDeserializer?: Deserializer;
  /**
   * Deserializers by topic, for keys and values: `{ 'orders.avro': { value: avro }, 'payments.proto': { value:
   * proto, key: keyDeser } }`. A handler's own (`@EventPattern(topic, { deserializer, keyDeserializer })`) win
   * over these, which win over `valueDeserializer` / `keyDeserializer`. A record they cannot decode goes through
   * the error policy, logged with its topic, partition, offset and the deserializer's reason (schema id).
   */
  deserializers?: Readonly<Record<string, TopicDeserializers>>;
  /** Encodes reply values instead of the JSON rules. */
  valueSerializer?: Serializer;
  /** Shapes whole reply records; replaces the Nest-compatible default. */
  serializer?: RdKafkaRecordSerializer;
  /** Where the transport and librdkafka log; each call passes its context (`ServerRdKafka`). @default new Logger() */
  logger?: LoggerService;
}

/** @internal */
export const SERVER_DEFAULTS = Object.freeze({
  groupId: 'nest-rdkafka-group',
  postfixId: '-server',
  // Partitions independent by default (issue 14): one lane per partition, up to 16 at once. 16 rather than
  // unbounded: a consumer assigned hundreds of partitions should not run hundreds of handlers against one database
  // unasked. Against concurrency 1, 8 alternating runs of the events bench (3 partitions, handlers that finish at
  // once) and of request-reply at c=1 differed within this machine's noise: events/s and CPU per event alike,
  // request p50 3.5 ms both.
  concurrency: 16,
  orderBy: 'partition' as 'key' | 'partition',
  // Measured on the events bench: GC took 19 % of the main thread at 1000/5000, 7 % at 500/1000 and 4.5 % at
  // 250/500. Records waiting in a large buffer outlive young-generation collections and get promoted, while
  // librdkafka prefetches natively anyway. Alternating runs put 250/500 ahead of 500/1000 (8 % more events/s,
  // 15 % less CPU per event, within this machine's noise); 250/250 was slower (no batch in flight).
  batchSize: 250,
  /** The floor of `maxBufferedRecords`, which is at least 4 × concurrency. */
  maxBufferedRecords: 500,
  closeTimeoutMs: 10_000,
  replyTimeoutMs: 10_000,
  handlerTimeoutMs: 60_000,
  slowHandlerWarnMs: 10_000,
  /** Finished offsets are committed this often (`consumer['auto.commit.interval.ms']` overrides it). */
  commitIntervalMs: 1000,
});

/**
 * librdkafka producer defaults of the transport's producers (replies, requests, events), under the user's
 * `client` and `producer` properties. librdkafka's own `linger.ms` default (5 ms) would add 5 ms to every
 * request and again to its reply; 1 ms still batches what is produced together. @internal
 */
export const TRANSPORT_PRODUCER_DEFAULTS = Object.freeze({ 'linger.ms': 1 });

/**
 * The server's producer defaults: the transport's, and no topic auto-creation. librdkafka's producer default
 * (`true`) makes a metadata request or a produce for a missing topic create it when the broker allows it
 * (Kafka's default), so a request naming any reply topic would create one. @internal
 */
export const SERVER_PRODUCER_DEFAULTS = Object.freeze({ ...TRANSPORT_PRODUCER_DEFAULTS, 'allow.auto.create.topics': false });

/**
 * librdkafka consumer defaults of the server's consumer, under the user's `client` and `consumer` properties.
 * `fetch.queue.backoff.ms` 100 instead of librdkafka's 1000: a server that drains its local queue faster than
 * the fetcher refills it above `queued.min.messages` otherwise waits up to a second for the next fetch (measured
 * on a 700 k backlog: a consume loop at ~105 k instead of 180-200 k msg/s). Confluent's perf tool uses 100 too.
 * @internal
 */
export const SERVER_CONSUMER_DEFAULTS = Object.freeze({ 'auto.offset.reset': 'earliest', 'fetch.queue.backoff.ms': 100 });
