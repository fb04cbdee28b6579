import type { LoggerService } from '@nestjs/common';
import type { ClientConfig, ConsumerConfig, ProducerConfig } from '../../client/config/index.js';
import type { Deserializer, Serializer } from '../../serdes/serializer.interface.js';
import type { ServerRdKafkaOptions } from '../../transport/server/server-rdkafka.options.js';
import type { RdKafkaMetricsOptions } from '../../observability/metrics/metrics.options.js';

/**
 * A topic the module creates at bootstrap when it is missing (confluent_kafka `NewTopic`). An existing topic
 * is never changed: a difference in partition count, replication factor or a listed config is logged as a
 * warning.
 * @publicApi
 */
export interface RdKafkaTopicOptions {
  /** The topic's name. */
  name: string;
  /** Partitions; -1 takes the broker's `num.partitions`. @default -1 */
  numPartitions?: number;
  /** Replication factor; -1 takes the broker's `default.replication.factor`. @default -1 */
  replicationFactor?: number;
  /** Topic configs, e.g. `{ 'retention.ms': '86400000' }`; compared with an existing topic's. @default {} */
  config?: Record<string, string>;
  /**
   * Whether its retry and dead-letter topics are provisioned with it (when `server.deadLetter` or
   * `server.retryTopics` is set): same partition count, replication factor and configs. False for e.g. a reply
   * topic. @default true
   */
  failureTopics?: boolean;
}

/**
 * What `RdKafkaHealthIndicator` considers unhealthy.
 * @publicApi
 */
export interface RdKafkaHealthOptions {
  /**
   * A partition whose lag is above zero and whose committed offset has not moved for this long is stalled.
   * @default 60000
   */
  stallTimeoutMs?: number;
  /**
   * A listening server with no partition assigned for this long is down (a rebalance in progress is not).
   * Set `requireAssignment: false` when a group has more members than partitions.
   * @default 30000
   */
  unassignedTimeoutMs?: number;
  /** Whether a listening server must own at least one partition. @default true */
  requireAssignment?: boolean;
  /** How long the broker, committed-offset and watermark requests of one check may take. @default 3000 */
  timeoutMs?: number;
}

/** Server-only transport options (the shared ones come from the module's own fields). @publicApi */
export type RdKafkaServerModuleOptions = Omit<
  ServerRdKafkaOptions,
  'client' | 'consumer' | 'producer' | 'logger' | 'valueSerializer' | 'valueDeserializer' | 'metrics'
>;

/**
 * Options of `RdKafkaModule.forRoot()`/`forRootAsync()`. librdkafka properties keep their dotted names; ours are
 * camelCase and times are milliseconds. Defaults live in `RDKAFKA_MODULE_DEFAULTS`.
 * @publicApi
 */
export interface RdKafkaModuleOptions {
  /**
   * librdkafka properties and callbacks shared by every client the module creates (the admin service, the
   * producer service, `ClientRdKafka`, the server): `bootstrap.servers`, `security.protocol`, `sasl.*`…
   * The admin service takes the plain (string, number, boolean) values.
   */
  client: ClientConfig;
  /**
   * Consumer properties of the server and the client's reply consumer. `group.id` gets the transport's
   * postfix (`-server`, `-client-<id>`). @default { 'group.id': 'nest-rdkafka-group' }
   */
  consumer?: Partial<ConsumerConfig>;
  /** Producer properties of the producer service, the client and the server's replies. @default {} */
  producer?: Partial<ProducerConfig>;
  /** Encodes values instead of Nest's JSON rules (e.g. an Avro serializer). @default JSON (Nest's Kafka rules) */
  serializer?: Serializer;
  /** Decodes values instead of Nest's JSON rules. @default JSON (Nest's Kafka rules) */
  deserializer?: Deserializer;
  /** How long `ClientRdKafka.send()` waits for a reply. @default 10000 */
  requestTimeoutMs?: number;
  /**
   * Where the module's clients and librdkafka log. @default Nest `Logger`s with the contexts `RdKafkaModule`,
   * `RdKafkaProducerService`, `ClientRdKafka`, `ServerRdKafka` (they follow the application's logger)
   */
  logger?: LoggerService;
  /** Topics created at bootstrap when missing. @default [] */
  topics?: readonly RdKafkaTopicOptions[];
  /** Server options: concurrency, error policy, `closeTimeoutMs`… @default the transport's defaults */
  server?: RdKafkaServerModuleOptions;
  /**
   * Metrics of the module's server, client and producer service (one `RdKafkaMetrics`, exported while the
   * application runs): see `RdKafkaMetricsOptions` and README "Observability".
   * @default undefined (nothing measured, no peer package loaded)
   */
  metrics?: RdKafkaMetricsOptions;
  /** Health indicator thresholds. @default see RdKafkaHealthOptions */
  health?: RdKafkaHealthOptions;
  /**
   * How long the producer service and the client may take on application shutdown to deliver what is queued
   * and disconnect (the server's drain is bounded by `server.closeTimeoutMs`). @default 15000
   */
  shutdownTimeoutMs?: number;
  /**
   * OpenTelemetry spans of the producer service, the client and the server (while `@opentelemetry/api` is
   * installed and a tracer provider is registered); false turns them off. `server.tracing` wins for the server.
   * See README "Observability". @default true
   */
  tracing?: boolean;
}

/**
 * Options of the module definition itself, given next to the others in `forRoot`/`forRootAsync`.
 * @publicApi
 */
export interface RdKafkaModuleExtras {
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /**
   * Names this module's providers, so one application can talk to several clusters: inject them with
   * `@InjectRdKafkaClient(name)`, `@InjectRdKafkaAdmin(name)`, `@InjectRdKafkaProducer(name)`.
   * @default undefined (the class tokens)
   */
  name?: string;
}
