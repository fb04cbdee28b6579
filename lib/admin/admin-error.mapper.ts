import { ErrorCode, KafkaError, KafkaException, MissingDependencyError, toKafkaException } from '../errors/index.js';

/** kafkajs protocol error names that differ from librdkafka's for the same code. */
const KAFKAJS_TYPE_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  CORRUPT_MESSAGE: 'INVALID_MSG',
  UNKNOWN_TOPIC_OR_PARTITION: 'UNKNOWN_TOPIC_OR_PART',
  INVALID_FETCH_SIZE: 'INVALID_MSG_SIZE',
  MESSAGE_TOO_LARGE: 'MSG_SIZE_TOO_LARGE',
  STALE_CONTROLLER_EPOCH: 'STALE_CTRL_EPOCH',
  INVALID_TOPIC_EXCEPTION: 'TOPIC_EXCEPTION',
});

/** kafkajs client-side error classes and the librdkafka local code closest in meaning. */
const KAFKAJS_CLASS_CODES: Readonly<Record<string, number>> = Object.freeze({
  KafkaJSConnectionError: ErrorCode._TRANSPORT,
  KafkaJSConnectionClosedError: ErrorCode._TRANSPORT,
  KafkaJSBrokerNotFound: ErrorCode._TRANSPORT,
  KafkaJSNoBrokerAvailableError: ErrorCode._TRANSPORT,
  KafkaJSRequestTimeoutError: ErrorCode._TIMED_OUT,
  KafkaJSTimeout: ErrorCode._TIMED_OUT,
  KafkaJSLockTimeout: ErrorCode._TIMED_OUT,
  KafkaJSSASLAuthenticationError: ErrorCode._AUTHENTICATION,
  KafkaJSServerDoesNotSupportApiKey: ErrorCode._UNSUPPORTED_FEATURE,
  KafkaJSGroupCoordinatorNotFound: ErrorCode.COORDINATOR_NOT_AVAILABLE,
  KafkaJSMetadataNotLoaded: ErrorCode.UNKNOWN_TOPIC_OR_PART,
  KafkaJSTopicMetadataNotLoaded: ErrorCode.UNKNOWN_TOPIC_OR_PART,
  KafkaJSStaleTopicMetadataAssignment: ErrorCode._UNKNOWN_PARTITION,
  KafkaJSNonRetriableError: ErrorCode._INVALID_ARG,
});

interface BackendErrorLike {
  name?: string;
  message?: string;
  type?: string;
  code?: unknown;
  errorCode?: unknown;
  cause?: unknown;
  errors?: unknown[];
  groups?: { error?: unknown; errorCode?: number }[];
  partitions?: { error?: unknown }[];
}

/**
 * The librdkafka code of a kafkajs protocol error type name (`TOPIC_ALREADY_EXISTS` → 36), or undefined.
 * @internal
 */
export function codeOfKafkaJsType(type: string): number | undefined {
  const name = KAFKAJS_TYPE_ALIASES[type] ?? type;
  return (ErrorCode as Readonly<Record<string, number>>)[name];
}

/** The error a kafkajs wrapper carries (retries exhausted, aggregates, per-group and per-partition errors). */
function innerError(e: BackendErrorLike): unknown {
  if (e.name === 'KafkaJSNumberOfRetriesExceeded' && e.cause && e.cause !== e) return e.cause;
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors[0];
  if (e.name === 'KafkaJSDeleteGroupsError' && e.groups?.[0]) return e.groups[0].error ?? e.groups[0].errorCode;
  if (e.name === 'KafkaJSDeleteTopicRecordsError' && e.partitions?.[0]) return e.partitions[0].error;
  return undefined;
}

function fromKafkaJs(e: BackendErrorLike, depth: number): KafkaException {
  const inner = depth < 5 ? innerError(e) : undefined;
  if (inner !== undefined && inner !== null) return mapAdminError(inner, depth + 1);
  const message = e.message ?? String(e.name);
  if (typeof e.code === 'number' && typeof e.type === 'string')
    return new KafkaException(new KafkaError(e.code, message), undefined, undefined, { cause: e });
  const byType = typeof e.type === 'string' ? codeOfKafkaJsType(e.type) : undefined;
  const code = byType ?? KAFKAJS_CLASS_CODES[e.name ?? ''] ?? ErrorCode._FAIL;
  return new KafkaException(new KafkaError(code, message), undefined, undefined, { cause: e });
}

/** Node's socket error codes: the broker is unreachable or went away (an outage, not a slow answer). */
const NODE_OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * One code per kind of failure, whatever backend saw it: librdkafka's several outage codes (all brokers down,
 * an unresolvable name) become `_TRANSPORT`, as kafkajs's and kafka-ts's refused connections are; a broker's
 * SASL_AUTHENTICATION_FAILED is `_AUTHENTICATION`, as librdkafka and kafkajs report it.
 */
const CANONICAL_CODES: ReadonlyMap<number, number> = new Map([
  [ErrorCode._ALL_BROKERS_DOWN, ErrorCode._TRANSPORT],
  [ErrorCode._RESOLVE, ErrorCode._TRANSPORT],
  [ErrorCode.SASL_AUTHENTICATION_FAILED, ErrorCode._AUTHENTICATION],
]);

/** kafka-ts's and Node's errors, which carry a message or a socket code but no Kafka code. */
function fromJsError(e: BackendErrorLike): KafkaException | undefined {
  const message = e.message ?? '';
  if (typeof e.code === 'number') return undefined;
  if (typeof e.code === 'string' && NODE_OUTAGE_CODES.has(e.code))
    return new KafkaException(ErrorCode._TRANSPORT, message, undefined, { cause: e });
  if (e.name === 'ConnectionError' || /^Connection(Error)?\b|was closed|Not connected to/.test(message)) {
    // kafka-ts: "<ApiName> timed out" is a request timeout; every other connection error is the broker's absence.
    const code = / timed out$/.test(message) && !message.startsWith('Connection to') ? ErrorCode._TIMED_OUT : ErrorCode._TRANSPORT;
    return new KafkaException(code, message, undefined, { cause: e });
  }
  if (message.startsWith('Broker does not support API'))
    return new KafkaException(ErrorCode._UNSUPPORTED_FEATURE, message, undefined, { cause: e });
  return undefined;
}

function mapAdminError(e: unknown, depth: number): KafkaException {
  if (e instanceof KafkaException) return e;
  if (typeof e === 'number') return new KafkaException(e);
  if (typeof e !== 'object' || e === null) return new KafkaException(ErrorCode._FAIL, String(e));
  const err = e as BackendErrorLike;
  if (typeof err.name === 'string' && err.name.startsWith('KafkaJS')) return fromKafkaJs(err, depth);
  if (typeof err.errorCode === 'number') {
    return new KafkaException(new KafkaError(err.errorCode, err.message || undefined), undefined, undefined, { cause: e });
  }
  return fromJsError(err) ?? toKafkaException(e);
}

/**
 * Turns an error from any admin backend (kafkajs, node-rdkafka, kafka-ts) into a `KafkaException` whose code
 * is librdkafka's: broker errors keep the broker's code, client-side failures get the closest local code, and
 * one kind of failure gets one code on every backend (see CANONICAL_CODES).
 * @param e what the backend threw
 * @returns the exception to reject with
 * @internal
 */
export function fromAdminError(e: unknown, depth = 0): KafkaException {
  const mapped = mapAdminError(e, depth);
  const canonical = CANONICAL_CODES.get(mapped.code);
  if (canonical === undefined) return mapped;
  return new KafkaException(new KafkaError(canonical, mapped.error.reason), undefined, undefined, { cause: mapped });
}

/**
 * What an admin call rejects with: a `KafkaException`, or a `MissingDependencyError` as it is (no Kafka failure:
 * the caller's fix is an install, and wrapping it would hide the package's name behind `_FAIL`).
 * @internal
 */
export function adminRejection(e: unknown): KafkaException | MissingDependencyError {
  return e instanceof MissingDependencyError ? e : fromAdminError(e);
}

/** A `KafkaException` for a broker error code found in a response (0 = none). @internal */
export function brokerError(code: number, message?: string | null): KafkaException | null {
  return code === 0 ? null : new KafkaException(code, message || undefined);
}
