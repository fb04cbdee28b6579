import type { LibrdKafkaGlobalProperties, LibrdKafkaNumber, UnknownPropertiesOption } from '../client/config/index.js';
import type { OAuthBearerTokenProvider } from '../client/oauth-bearer.js';
import type { ConsumerGroupState, ConsumerGroupType, IsolationLevel } from './admin.enums.js';

/**
 * The admin client's configuration: librdkafka's global properties, typed as the clients' are (a misspelt key
 * is a compile error; keys these typings lack go in `unknownProperties`), as confluent_kafka's
 * `AdminClient(conf)`. Keys are passed verbatim to node-rdkafka where it serves an operation and translated for
 * the other backends (see lib/admin/README.md); the backends that have no equivalent ignore them.
 * @publicApi
 */
export type AdminClientConfig = LibrdKafkaGlobalProperties &
  UnknownPropertiesOption & {
    /** Comma-separated `host:port` list. Required. */
    'bootstrap.servers': string;
    /** @default 'nest-rdkafka-admin' */
    'client.id'?: string;
    /**
     * `PLAIN` | `SCRAM-SHA-256` | `SCRAM-SHA-512` | `OAUTHBEARER` (with `oauth_cb`) for every operation;
     * `GSSAPI` (librdkafka's default) only for the librdkafka-served ones (listOffsets, alterConsumerGroupOffsets).
     */
    'sasl.mechanisms'?: string;
    /** PEM file, or a directory of them, with the CA certificates to trust (ssl); or `ssl.ca.pem`. */
    'ssl.ca.location'?: string;
    /** Per-request timeout: a producer property in librdkafka's table, the admin's own timeout here. @default 30000 */
    'request.timeout.ms'?: LibrdKafkaNumber;
    /** OAUTHBEARER tokens, as for Producer and Consumer (see `ClientCallbacks.oauth_cb`). */
    oauth_cb?: OAuthBearerTokenProvider;
  };

/** The admin configuration as the backends read it: `unknownProperties` flattened into the top level. @internal */
export type AdminProperties = Readonly<Record<string, string | number | boolean | OAuthBearerTokenProvider | undefined>>;

/** Options every admin operation takes (confluent_kafka's `request_timeout`, `operation_timeout`). */
export interface AdminOperationOptions {
  /** How long the whole call may take before its results fail with `_TIMED_OUT`. @default the config's request.timeout.ms */
  requestTimeoutMs?: number;
  /** How long the broker waits for the operation to complete (create/delete topics, partitions, elect). @default 30000 */
  operationTimeoutMs?: number;
}

/** Options of operations that can be dry-run. */
export interface ValidateOnlyOptions extends AdminOperationOptions {
  /** Ask the broker to validate only, changing nothing. @default false */
  validateOnly?: boolean;
}

/** Options of describeConfigs. */
export interface DescribeConfigsOptions extends AdminOperationOptions {
  /** Include each config's lower-precedence values. @default false */
  includeSynonyms?: boolean;
}

/** Options of listOffsets. */
export interface ListOffsetsOptions extends AdminOperationOptions {
  /** @default IsolationLevel.READ_UNCOMMITTED */
  isolationLevel?: IsolationLevel;
}

/** Options of listConsumerGroups. */
export interface ListConsumerGroupsOptions extends AdminOperationOptions {
  /** Only groups in these states. @default all */
  states?: readonly ConsumerGroupState[];
  /** Only groups of these types (confluent_kafka's `types`: CONSUMER for KIP-848, CLASSIC). @default all */
  types?: readonly ConsumerGroupType[];
}

/** Options of copyConsumerGroupOffsets. */
export interface CopyConsumerGroupOffsetsOptions extends AdminOperationOptions {
  /** Copy only these topics' offsets. @default every topic the source group committed to */
  topics?: readonly string[];
  /**
   * Replace offsets the target group already committed for those partitions. Off by default: a target with
   * offsets of its own may be a live service, and moving it would replay or skip its records.
   * @default false
   */
  overwrite?: boolean;
}

/** Where the admin client's backends log. Nest's `LoggerService` fits; by default nothing is logged. */
export interface AdminLogger {
  error(message: string, ...optional: unknown[]): void;
  warn(message: string, ...optional: unknown[]): void;
  debug?(message: string, ...optional: unknown[]): void;
}

/** Non-librdkafka options of the AdminClient constructor. */
export interface AdminClientOptions {
  /** Receives the backends' warnings and errors. @default none (silent) */
  logger?: AdminLogger;
}
