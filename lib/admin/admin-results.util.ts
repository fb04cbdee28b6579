import { ErrorCode, KafkaException } from '../errors/index.js';
import { adminRejection } from './admin-error.mapper.js';

/**
 * Per-resource results, confluent_kafka's "dict of futures": each key (the value you passed: topic name,
 * ConfigResource, AclBinding, TopicPartition …) maps to a promise that settles on its own, so one failing
 * resource does not hide the others. Every promise rejects with a `KafkaException` (or a
 * `MissingDependencyError` when a package the operation needs is not installed), and is already marked
 * handled: a result you never await cannot crash the process with an unhandled rejection.
 * @publicApi
 */
export type AdminResults<K, V> = Map<K, Promise<V>>;

const noop = (): void => undefined;

/** A promise that rejects with `KafkaException(_TIMED_OUT)` if `p` has not settled within `ms`. @internal */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaException(ErrorCode._TIMED_OUT, `${what} did not complete within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Marks a promise's rejection handled and maps it to a KafkaException; a missing package stays what it is, as
 * it is no Kafka failure and the caller's fix is an install.
 * @internal
 */
export function adminPromise<T>(p: Promise<T>): Promise<T> {
  const mapped = p.catch((e: unknown) => {
    throw adminRejection(e);
  });
  mapped.catch(noop);
  return mapped;
}

/**
 * Runs `run` for every key, concurrently, into an `AdminResults` map.
 * @internal
 */
export function resultMap<K, V>(keys: Iterable<K>, run: (key: K) => Promise<V>, timeoutMs: number, what: string): AdminResults<K, V> {
  const out = new Map<K, Promise<V>>();
  for (const key of keys) {
    out.set(
      key,
      adminPromise(
        withTimeout(
          Promise.resolve().then(() => run(key)),
          timeoutMs,
          `${what}(${String(key)})`,
        ),
      ),
    );
  }
  return out;
}

/**
 * Builds per-key results from one shared backend call: `shared` runs once and `pick` extracts each key's
 * outcome from its answer (throwing for that key only).
 * @internal
 */
export function sharedResultMap<K, R, V>(keys: readonly K[], shared: Promise<R>, pick: (answer: R, key: K) => V): AdminResults<K, V> {
  const out = new Map<K, Promise<V>>();
  for (const key of keys) out.set(key, adminPromise(shared.then((answer) => pick(answer, key))));
  return out;
}

/**
 * Waits for every result: a map from each key to its settled outcome (`fulfilled` + value, or `rejected` +
 * a KafkaException). Convenient when all results are wanted at once.
 * @param results a map an admin operation returned
 * @returns the settled outcomes, same keys, same order
 * @publicApi
 */
export async function settleResults<K, V>(results: AdminResults<K, V>): Promise<Map<K, PromiseSettledResult<V>>> {
  const keys = [...results.keys()];
  const settled = await Promise.allSettled(keys.map((k) => results.get(k)!));
  return new Map(keys.map((k, i) => [k, settled[i]!]));
}

/** Throws a TypeError when a list argument is empty or has duplicates under `keyOf`. @internal */
export function assertUniqueList<T>(items: readonly T[], what: string, keyOf: (item: T) => string): void {
  if (!Array.isArray(items) || items.length === 0) throw new TypeError(`${what}: expected a non-empty array`);
  const seen = new Set<string>();
  for (const item of items) {
    const key = keyOf(item);
    if (seen.has(key)) throw new TypeError(`${what}: duplicate entry ${key}`);
    seen.add(key);
  }
}
