import type { OAuthBearerTokenProvider } from '../oauth-bearer.js';
import type { KafkaError } from '../../errors/index.js';
import type { Message } from '../message.js';
import type { ThrottleEvent } from '../throttle-event.js';
import type { TopicPartition } from '../topic-partition.js';
import type { LibrdKafkaConsumerProperties, LibrdKafkaGlobalProperties, LibrdKafkaProducerProperties } from './librdkafka-properties.js';

/**
 * Where librdkafka's logs, and errors nobody else handles, go: a Nest `LoggerService` fits, as does any
 * object with these methods (`console` too).
 * @publicApi
 */
export interface KafkaLogger {
  log(message: unknown, ...optionalParams: unknown[]): unknown;
  warn(message: unknown, ...optionalParams: unknown[]): unknown;
  error(message: unknown, ...optionalParams: unknown[]): unknown;
  debug?(message: unknown, ...optionalParams: unknown[]): unknown;
  verbose?(message: unknown, ...optionalParams: unknown[]): unknown;
}

/**
 * The callbacks confluent_kafka reads from its config dict, with the same names, called on the event loop. A
 * Producer serves them itself from the moment connect() starts. A Consumer's events share the queue its
 * messages come from, so they arrive with poll()/consume()/consumeBatch(), except while connect() runs and
 * for the results of commit() (`on_commit`), which need no poll.
 * @publicApi
 */
export interface ClientCallbacks {
  /**
   * Global, non-fatal-to-the-call errors (broker down, authentication…), with their librdkafka code; also
   * while connect() runs, so a refused password or an unreachable cluster shows here before connect() fails.
   */
  error_cb?: (error: KafkaError) => void;
  /** A broker throttled this client. */
  throttle_cb?: (event: ThrottleEvent) => void;
  /** librdkafka's statistics JSON, every `statistics.interval.ms`. */
  stats_cb?: (json: string) => void;
  /** librdkafka's log lines (levels mapped from syslog severities); set `debug` for more. */
  logger?: KafkaLogger;
  /**
   * confluent_kafka's OAUTHBEARER token callback (`sasl.mechanisms=OAUTHBEARER`): returns `{ token, lifetimeMs }`
   * (or `expiry` in seconds), sync or async; called before connecting and before each token expires. Its
   * failures go to `error_cb`. Not with `sasl.oauthbearer.method=oidc`, where librdkafka fetches tokens itself.
   */
  oauth_cb?: OAuthBearerTokenProvider;
  /**
   * Deprecated in librdkafka: topic-level properties. They are merged into the top level (where librdkafka
   * reads them as the default topic config) and a deprecation warning is logged.
   */
  'default.topic.config'?: Record<string, string | number | boolean>;
}

/** Every librdkafka key typed above, whatever its role. */
type KnownPropertyKey = keyof LibrdKafkaProducerProperties | keyof LibrdKafkaConsumerProperties;

/**
 * librdkafka properties these typings do not know (a newer librdkafka's, a plugin's), passed to librdkafka verbatim
 * and checked by it when the client is created. Keys typed in `LibrdKafka*Properties` are refused here so that a
 * known key is always type-checked: put it at the top level of the config.
 * @publicApi
 */
export type UnknownProperties = Readonly<Record<string, string | number | boolean>> & { readonly [K in KnownPropertyKey]?: never };

/**
 * The deliberate escape from the typed keys. The configs have no index signature, so a misspelt key
 * (`bootstrap.server`, `group.idd`) is a compile error rather than a property librdkafka refuses at run time.
 * @publicApi
 */
export interface UnknownPropertiesOption {
  /**
   * Properties outside the typings, merged into the top level; a key set in both places is a `ConfigException`.
   * The bags of `client` and of `producer`/`consumer` in the module and transport options are merged too.
   * @example { 'bootstrap.servers': '127.0.0.1:9092', unknownProperties: { 'some.future.property': 5 } }
   */
  unknownProperties?: UnknownProperties;
}

/**
 * The properties shared by a producer and a consumer: librdkafka's global ("*") properties plus callbacks.
 * Producer-only and consumer-only keys go in the role's own config.
 * @publicApi
 */
export type ClientConfig = LibrdKafkaGlobalProperties & ClientCallbacks & UnknownPropertiesOption;

/**
 * A producer's configuration: librdkafka producer properties plus callbacks.
 * @publicApi
 */
export type ProducerConfig = LibrdKafkaProducerProperties &
  ClientCallbacks & {
    /** Called for every delivery report (success: `error` null) after the per-message callback. */
    on_delivery?: (error: KafkaError | null, message: Message) => void;
  } & UnknownPropertiesOption;

/**
 * A consumer's configuration: librdkafka consumer properties (`group.id` required) plus callbacks.
 * @publicApi
 */
export type ConsumerConfig = LibrdKafkaConsumerProperties &
  ClientCallbacks & {
    'group.id': string;
    /**
     * Result of every commit librdkafka makes (auto-commits, asynchronous and synchronous commits). Results of
     * commit() arrive without a poll; auto-commit results with the next poll/consume.
     */
    on_commit?: (error: KafkaError | null, partitions: TopicPartition[]) => void;
  } & UnknownPropertiesOption;
