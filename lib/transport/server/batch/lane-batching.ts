import type { BatchBounds } from './batch.options.js';

/**
 * How a `LaneScheduler` forms batches: items whose bounds are not null are run together with the items queued
 * behind them in their lane (same bounds, so the same handler) rather than one by one. @internal
 */
export interface LaneBatching<T, R> {
  /** The bounds of a batch starting with this item, or null: it runs alone. Called per item: keep it a lookup. */
  boundsOf(item: T): BatchBounds | null;
  /** What an item adds to the batch's `maxBytes`. */
  bytesOf(item: T): number;
  /** Whether waiting can bring more items (false: the buffer is full, or fetching stopped). */
  canGrow(): boolean;
  /** Runs a batch; resolves to a result per item, in order. Must not reject. */
  run(items: T[], tags: number[]): Promise<R[]>;
}

/** A lane's queue as a forming batch sees it. @internal */
export interface BatchSource<T> {
  /** The next queued item, or undefined. */
  peek(): T | undefined;
  /** Takes the item `peek` returned; @returns its tag */
  take(): number;
  /**
   * Waits up to `ms` for an item to be queued on the lane.
   * @returns false when the wait ended without one: time is up, or the lane was dropped or flushed
   */
  arrival(ms: number): Promise<boolean>;
}

/**
 * Collects a batch from a lane, starting with `first` (already taken): queued items join while they have the
 * same bounds and fit `maxRecords` and `maxBytes`; with room left and `canGrow()`, it waits for more until
 * `maxWaitMs` after the start. The first item always makes a batch, whatever its size.
 */
export async function collectBatch<T>(
  first: T,
  tag: number,
  bounds: BatchBounds,
  source: BatchSource<T>,
  batching: Pick<LaneBatching<T, unknown>, 'boundsOf' | 'bytesOf' | 'canGrow'>,
): Promise<{ items: T[]; tags: number[] }> {
  const items = [first];
  const tags = [tag];
  let bytes = batching.bytesOf(first);
  const deadline = performance.now() + bounds.maxWaitMs;
  for (let waited = true; ;) {
    for (let next = source.peek(); next !== undefined && items.length < bounds.maxRecords; next = source.peek()) {
      // Another handler's item (a RegExp lane), or one that would overflow: it starts the next batch.
      if (batching.boundsOf(next) !== bounds) return { items, tags };
      const size = batching.bytesOf(next);
      if (bytes + size > bounds.maxBytes) return { items, tags };
      bytes += size;
      items.push(next);
      tags.push(source.take());
    }
    const left = deadline - performance.now();
    if (!waited || items.length >= bounds.maxRecords || bytes >= bounds.maxBytes || left <= 0 || !batching.canGrow())
      return { items, tags };
    // One more pass after the wait ends, whatever ended it: items queued meanwhile still join.
    waited = await source.arrival(left);
  }
}
