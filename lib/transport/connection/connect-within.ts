import { ErrorCode, KafkaException } from '../../errors/index.js';
import type { BrokerErrorWatch } from './broker-error.watch.js';

/** What `connectWithin` connects: a client-layer Producer or Consumer. */
interface Connectable {
  connect(timeoutMs: number): Promise<void>;
}

/** The bound of one connection attempt, shared by the clients it connects one after the other. @internal */
export interface ConnectBound {
  /** The bootstrap servers, for messages. */
  readonly servers: string;
  /** The configured bound, for messages. */
  readonly timeoutMs: number;
  /** When the attempt must have finished (ms since the epoch). */
  readonly deadline: number;
  /** When the attempt started: older librdkafka reports are not its reason. */
  readonly started: number;
  readonly watch: BrokerErrorWatch;
}

/** The servers a librdkafka config names. @internal */
export function serversOf(config: object): string {
  const c = config as Record<string, unknown>;
  return String(c['bootstrap.servers'] ?? c['metadata.broker.list'] ?? '(no bootstrap.servers)');
}

/**
 * The error of a connection attempt that did not finish: names the servers, the bound and the last problem
 * librdkafka reported, falling back to its own error (usually just `broker transport failure`).
 * @param code the librdkafka code (`_TRANSPORT`, `_AUTHENTICATION`… from librdkafka; `_TIMED_OUT` for our deadline)
 * @internal
 */
export function connectError(code: number, b: ConnectBound, cause?: unknown): KafkaException {
  const fallback = cause instanceof KafkaException ? cause.error.str() : cause === undefined ? 'no broker answered' : String(cause);
  const why = b.watch.lastSince(b.started) ?? fallback;
  return new KafkaException(code, `could not connect to ${b.servers} within ${b.timeoutMs} ms: ${why}`, undefined, { cause });
}

/**
 * Connects a client by the bound's deadline (librdkafka's own bound on its first metadata request) and turns a
 * failure into an error that says what failed.
 * @throws KafkaException with librdkafka's code (`_TRANSPORT`, `_AUTHENTICATION`…), or `_TIMED_OUT` when the
 *   deadline had passed already, and the reason
 * @internal
 */
export async function connectWithin(client: Connectable, b: ConnectBound): Promise<void> {
  const left = b.deadline - Date.now();
  if (left <= 0) throw connectError(ErrorCode._TIMED_OUT, b);
  try {
    await client.connect(left);
  } catch (err) {
    // A closed client is the caller's state, not the cluster's: no connection problem to explain.
    if (err instanceof KafkaException && err.code === ErrorCode._STATE) throw err;
    throw connectError(err instanceof KafkaException ? err.code : ErrorCode._TRANSPORT, b, err);
  }
}

/**
 * Rejects with `onTimeout()` when `p` has not settled within `ms`; `p` keeps running (its rejection is handled).
 * @internal
 */
export function settleBy<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  p.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}
