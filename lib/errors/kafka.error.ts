import { ERROR_DESCRIPTIONS, ErrorCode } from './error-codes.js';

/** Flags librdkafka attaches to some errors (transactional APIs, fatal errors). */
export interface KafkaErrorFlags {
  /** The client instance can no longer be used. @default false */
  fatal?: boolean;
  /** The operation may be retried. @default derived from the code */
  retriable?: boolean;
  /** The current transaction must be aborted. @default false */
  txnRequiresAbort?: boolean;
}

const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

/**
 * Codes whose operation can succeed when retried: the broker codes Kafka's protocol marks retriable, and the
 * local codes that describe a passing condition. librdkafka sets the flag itself only on transactional errors;
 * elsewhere this table gives the same answer the Java client's RetriableException hierarchy gives.
 */
const RETRIABLE = new Set<number>([
  ErrorCode._TRANSPORT,
  ErrorCode._MSG_TIMED_OUT,
  ErrorCode._ALL_BROKERS_DOWN,
  ErrorCode._TIMED_OUT,
  ErrorCode._QUEUE_FULL,
  ErrorCode._TIMED_OUT_QUEUE,
  ErrorCode._WAIT_COORD,
  ErrorCode._RESOLVE,
  ErrorCode.INVALID_MSG,
  ErrorCode.UNKNOWN_TOPIC_OR_PART,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_FOR_PARTITION,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  ErrorCode.NOT_CONTROLLER,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
  ErrorCode.INVALID_FETCH_SESSION_EPOCH,
  ErrorCode.LISTENER_NOT_FOUND,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.OFFSET_NOT_AVAILABLE,
  ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE,
  ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE,
  ErrorCode.ELECTION_NOT_NEEDED,
  ErrorCode.UNSTABLE_OFFSET_COMMIT,
  ErrorCode.THROTTLING_QUOTA_EXCEEDED,
  ErrorCode.CONCURRENT_TRANSACTIONS,
  ErrorCode.REBALANCE_IN_PROGRESS,
]);

/**
 * A Kafka error as a value: librdkafka's code, its confluent_kafka name and a reason. Like confluent_kafka's
 * `KafkaError`, it is not thrown itself; `KafkaException` carries it. Codes unknown to this version's table
 * are kept as they are, named `ERR_<code>`.
 * @publicApi
 */
export class KafkaError {
  /** librdkafka's error code: negative for local errors, positive for broker errors. */
  readonly code: number;
  /** The confluent_kafka name of the code, e.g. `_MSG_TIMED_OUT` or `TOPIC_ALREADY_EXISTS`. */
  readonly name: string;
  /** A human-readable reason: the detail librdkafka or the broker gave, else the code's description. */
  readonly reason: string;
  readonly fatal: boolean;
  readonly retriable: boolean;
  readonly txnRequiresAbort: boolean;

  /**
   * @param code librdkafka error code (`ErrorCode.*`, or any integer)
   * @param reason detail; defaults to librdkafka's description of the code
   * @param flags fatal / retriable / txnRequiresAbort
   */
  constructor(code: number, reason?: string, flags: KafkaErrorFlags = {}) {
    this.code = code;
    this.name = KafkaError.nameOf(code);
    this.reason = reason || KafkaError.describe(code);
    this.fatal = flags.fatal ?? code === ErrorCode._FATAL;
    this.retriable = flags.retriable ?? RETRIABLE.has(code);
    this.txnRequiresAbort = flags.txnRequiresAbort ?? false;
  }

  /** The confluent_kafka name of a code (`ERR_<code>` when this librdkafka version has none). */
  static nameOf(code: number): string {
    return NAMES.get(code) ?? `ERR_${code}`;
  }

  /** librdkafka's description of a code (rd_kafka_err2str). */
  static describe(code: number): string {
    return ERROR_DESCRIPTIONS[code] ?? `Unknown error code ${code}`;
  }

  /** `local` for client-side errors (negative codes), `broker` for errors the broker returned. */
  get origin(): 'local' | 'broker' {
    return this.code < 0 ? 'local' : 'broker';
  }

  /** The reason, as confluent_kafka's `KafkaError.str()`. */
  str(): string {
    return this.reason;
  }

  /** True when `other` is this code, or a KafkaError with this code (confluent_kafka's `==`). */
  equals(other: number | KafkaError): boolean {
    return (typeof other === 'number' ? other : other.code) === this.code;
  }

  /** The code, so `err == ErrorCode._PARTITION_EOF` works as confluent_kafka's `err == KafkaError._PARTITION_EOF`. */
  valueOf(): number {
    return this.code;
  }

  /** confluent_kafka's form: `KafkaError{[FATAL,]code=<NAME>,val=<int>,str="<reason>"}`. */
  toString(): string {
    return `KafkaError{${this.fatal ? 'FATAL,' : ''}code=${this.name},val=${this.code},str="${this.reason}"}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      name: this.name,
      reason: this.reason,
      fatal: this.fatal,
      retriable: this.retriable,
      txnRequiresAbort: this.txnRequiresAbort,
    };
  }
}
