/** `topic` + `partition` as one map key. @internal */
export function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

/** Queue slots consumed before the arrays are compacted (a partition that never runs dry keeps its arrays). */
const COMPACT_AT = 1024;

/**
 * Tracks, for one partition, the offsets handed to handlers and which of them finished, and says which offset
 * may be committed: one past the highest offset below which every record finished. With concurrency > 1 records
 * of one partition finish out of order; committing only that contiguous prefix keeps at-least-once (a crash
 * re-delivers every record that had not finished, and maybe some that had). Two parallel arrays and a head
 * index rather than an object per record: this runs for every record.
 * @internal
 */
export class PendingOffsets {
  private offsets: number[] = [];
  private done: boolean[] = [];
  /** The partition's generation each offset was handed out under (see `tracks`). */
  private gens: number[] = [];
  private head = 0;

  /**
   * Records that an offset was handed out; offsets must arrive in increasing order.
   * @param gen the partition's generation it was handed out under
   */
  track(offset: number, gen = 0): void {
    this.offsets.push(offset);
    this.done.push(false);
    this.gens.push(gen);
  }

  /**
   * Whether a record handed out under `gen` is still tracked: a stop or seek forgets only the offsets from its
   * cut on, so records below it queued under an older generation still count when they finish.
   */
  tracks(offset: number, gen: number): boolean {
    const at = this.indexOf(offset);
    return at >= 0 && this.gens[at] === gen;
  }

  /**
   * Marks an offset finished.
   * @returns the offset to commit (last contiguous finished + 1) when it moved, else null
   */
  complete(offset: number): number | null {
    const at = this.indexOf(offset);
    if (at < 0) return null;
    this.done[at] = true;
    if (at !== this.head) return null;
    const { offsets, done } = this;
    let h = this.head;
    while (h < offsets.length && done[h]) h++;
    const committable = offsets[h - 1]! + 1;
    if (h === offsets.length) this.clear();
    else if (h >= COMPACT_AT && h * 2 >= offsets.length) {
      offsets.splice(0, h);
      done.splice(0, h);
      this.gens.splice(0, h);
      this.head = 0;
    } else this.head = h;
    return committable;
  }

  /** Forgets `offset` and everything after it (the partition stopped or was sought there). */
  truncateFrom(offset: number): void {
    let at = this.head;
    while (at < this.offsets.length && this.offsets[at]! < offset) at++;
    this.offsets.length = at;
    this.done.length = at;
    this.gens.length = at;
    if (at === this.head) this.clear();
  }

  /** Forgets every offset (revoked). */
  clear(): void {
    this.offsets.length = 0;
    this.done.length = 0;
    this.gens.length = 0;
    this.head = 0;
  }

  /** How many records are tracked and not yet finished. */
  get inFlight(): number {
    let n = 0;
    for (let i = this.head; i < this.offsets.length; i++) if (!this.done[i]) n++;
    return n;
  }

  /** In processing order the record is the head; otherwise a binary search (offsets increase). */
  private indexOf(offset: number): number {
    const { offsets } = this;
    if (offsets[this.head] === offset) return this.head;
    let lo = this.head;
    let hi = offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = offsets[mid]!;
      if (v === offset) return mid;
      if (v < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
