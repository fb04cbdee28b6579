import { ConfigException } from '../../../lib/index.js';
import { SchemaRegistryClient } from '../../../lib/serdes/index.js';
import { cachedPromise, LruCache } from '../../../lib/schema-registry/lru-cache.js';

describe('LruCache and cachedPromise (bounded registry caches)', () => {
  it('forgets the least recently used entry beyond its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
    expect(() => new LruCache(0)).toThrow(RangeError);
  });

  it('shares one load between concurrent callers, and stays bounded after 10,000 keys', async () => {
    const cache = new LruCache<number, Promise<number>>(100);
    let loads = 0;
    const load = async () => ++loads;
    const [x, y] = await Promise.all([cachedPromise(cache, 1, load), cachedPromise(cache, 1, load)]);
    expect([x, y, loads]).toEqual([1, 1, 1]);
    for (let k = 0; k < 10_000; k++) await cachedPromise(cache, k, load);
    expect(cache.size).toBe(100);
  });

  it('forgets a failed load, and its rejection is never unhandled when no caller is left', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const cache = new LruCache<string, Promise<number>>(10);
      const failing = cachedPromise(cache, 'k', async () => {
        throw new Error('registry down');
      });
      await expect(failing).rejects.toThrow('registry down');
      // A load that throws synchronously is a rejection too, and is not cached.
      const syncThrow = cachedPromise(cache, 's', () => {
        throw new Error('sync');
      });
      await expect(syncThrow).rejects.toThrow('sync');
      expect(cache.size).toBe(0);
      expect(await cachedPromise(cache, 'k', async () => 7)).toBe(7);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('SchemaRegistryClient refuses a cache.capacity that is not a positive integer', () => {
    expect(() => new SchemaRegistryClient({ url: 'http://127.0.0.1:1', 'cache.capacity': 0 })).toThrow(ConfigException);
    expect(() => new SchemaRegistryClient({ url: 'http://127.0.0.1:1', 'cache.capacity': 2.5 })).toThrow(/cache.capacity/);
  });
});
