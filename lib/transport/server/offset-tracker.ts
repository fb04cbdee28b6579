/** `topic` + `partition` as one map key. @internal */
export function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

interface Pending {
  readonly offset: number;
  done: boolean;
}

/**
 * Tracks, per partition, the offsets handed to handlers and which of them finished, and says which offset may
 * be committed: one past the highest offset below which every record finished. With concurrency > 1 records of
 * one partition finish out of order; committing only that contiguous prefix keeps at-least-once (a crash
 * re-delivers every record that had not finished, and maybe some that had).
 * @internal
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, Pending[]>();

  /** Records that an offset was handed out; offsets of one partition must arrive in increasing order. */
  track(topic: string, partition: number, offset: number): void {
    const key = partitionKey(topic, partition);
    let list = this.partitions.get(key);
    if (!list) this.partitions.set(key, (list = []));
    list.push({ offset, done: false });
  }

  /**
   * Marks an offset finished.
   * @returns the offset to commit (last contiguous finished + 1) when it moved, else null
   */
  complete(topic: string, partition: number, offset: number): number | null {
    const list = this.partitions.get(partitionKey(topic, partition));
    if (!list) return null;
    const entry = list.find((p) => p.offset === offset);
    if (!entry) return null;
    entry.done = true;
    let committable: number | null = null;
    while (list.length > 0 && list[0].done) committable = list.shift()!.offset + 1;
    return committable;
  }

  /** Forgets `offset` and everything after it in its partition (the partition stopped there). */
  truncateFrom(topic: string, partition: number, offset: number): void {
    const list = this.partitions.get(partitionKey(topic, partition));
    if (!list) return;
    const at = list.findIndex((p) => p.offset >= offset);
    if (at >= 0) list.splice(at);
  }

  /** Forgets a partition (revoked). */
  forget(topic: string, partition: number): void {
    this.partitions.delete(partitionKey(topic, partition));
  }

  /** How many records are tracked and not yet finished, over all partitions. */
  get inFlight(): number {
    let n = 0;
    for (const list of this.partitions.values()) n += list.filter((p) => !p.done).length;
    return n;
  }
}
