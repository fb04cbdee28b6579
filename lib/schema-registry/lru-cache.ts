/** How many entries each registry and serde cache keeps unless told otherwise (Confluent's clients use 1000). */
export const DEFAULT_CACHE_CAPACITY = 1000;

/**
 * A bounded map that forgets its least recently used entry when full. Map-based (insertion order is recency
 * order: a hit is moved to the end) rather than the `lru-cache` package: that package is only a transitive
 * dependency of our dev tools, and these caches need nothing beyond get/set/delete.
 * @internal
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** @throws RangeError when the capacity is not a positive integer */
  constructor(readonly capacity: number = DEFAULT_CACHE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Stores an entry as the most recently used, forgetting the least recently used one when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  /** Forgets an entry, but only if it still holds `expected` when given (a newer entry is kept). */
  delete(key: K, expected?: V): void {
    if (expected === undefined || this.entries.get(key) === expected) this.entries.delete(key);
  }

  /** Forgets every entry whose key matches. */
  deleteWhere(matches: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
  }
}

/**
 * The cached promise for `key`, or a new one from `load` that concurrent callers share. A failed load is
 * forgotten (the registry may come back, a schema may be registered later) and its rejection is handled here,
 * so an entry nobody awaits any more never surfaces as an unhandled rejection; each caller still sees it.
 * @internal
 */
export function cachedPromise<K, V>(cache: LruCache<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  const hit = cache.get(key);
  if (hit) return hit;
  const loading = (async () => load())();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key, loading));
  return loading;
}
