import type { BatchBounds } from './batch/batch.options.js';
import { collectBatch, type LaneBatching } from './batch/lane-batching.js';

/**
 * Runs one item; it must not reject (the scheduler does not handle errors). A result that is not a Promise means
 * the item finished synchronously, which saves a promise per record on paths that need none (skips, stale records).
 * @internal
 */
export type LaneRunner<T, R> = (item: T, tag: number) => R | Promise<R>;

/** Receives an item's result once it finished, before the lane's next item starts; must not throw. @internal */
export type LaneSettler<T, R> = (item: T, tag: number, result: R) => void;

interface Lane<T> {
  readonly id: string;
  readonly group: string;
  /** Queued items from `head` on; parallel to `tags`. A head index rather than shift(): queues hold thousands. */
  items: (T | undefined)[];
  tags: number[];
  head: number;
  running: boolean;
  /** A batch forming in this lane waits for items (see `arrival`). */
  waiter?: (arrived: boolean) => void;
}

/** Items a lane runs per turn before the next ready lane gets the slot. */
const DEFAULT_TURN = 64;
/** Consumed queue slots a lane keeps before it compacts its arrays. */
const COMPACT_AT = 1024;

/**
 * Runs items with at most `concurrency` lanes busy at once while keeping the items of one lane strictly in order
 * (a lane is a partition, or a partition and key). A busy lane runs up to `turn` items in one loop before it goes
 * to the back of the ready queue, so one busy key cannot starve the others, and a record costs one await in that
 * loop rather than a scheduled task of its own (measured: a task per record was a fifth of the transport's cost).
 * After a full turn the next one waits for the event loop, so a backlog never blocks timers and I/O for long.
 * @internal
 */
export class LaneScheduler<T, R = void> {
  private readonly lanes = new Map<string, Lane<T>>();
  private readonly ready: Lane<T>[] = [];
  /** Lanes in a turn: what `concurrency` bounds. */
  private active = 0;
  /** Items being run (at most `active`). */
  private running = 0;
  private queued = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly runningByGroup = new Map<string, number>();
  private groupWaiters: { groups: ReadonlySet<string>; resolve: () => void }[] = [];
  /** Batches waiting for items (see `arrival`). */
  private waiting = 0;
  /** A pump is scheduled for the next turn of the event loop (see `finish`). */
  private pumpScheduled = false;

  /**
   * @param concurrency the most lanes running at once (>= 1)
   * @param run runs one item
   * @param settle gets each result (awaited here: a continuation of its own per record would cost a promise more)
   * @param turn items a lane runs before yielding its slot to the next ready lane (>= 1)
   * @param batching forms batches of the items it gives bounds to (batch handlers); without it, no batches
   */
  constructor(
    private readonly concurrency: number,
    private readonly run: LaneRunner<T, R>,
    private readonly settle: LaneSettler<T, R>,
    private readonly turn = DEFAULT_TURN,
    private readonly batching?: LaneBatching<T, R>,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    if (!Number.isInteger(turn) || turn < 1) throw new RangeError(`turn must be an integer >= 1, got ${turn}`);
  }

  /**
   * Queues an item on a lane.
   * @param laneId items with one lane id run one at a time, in submission order
   * @param group what `drop()` removes by (the partition)
   * @param tag passed to the runner with the item (the partition's generation)
   */
  submit(laneId: string, group: string, item: T, tag = 0): void {
    let lane = this.lanes.get(laneId);
    if (!lane) this.lanes.set(laneId, (lane = { id: laneId, group, items: [], tags: [], head: 0, running: false }));
    const wasEmpty = lane.head === lane.items.length;
    lane.items.push(item);
    lane.tags.push(tag);
    this.queued++;
    if (!lane.running && wasEmpty) {
      this.ready.push(lane);
      this.pump();
    }
    lane.waiter?.(true);
    // A full buffer will not grow while batches wait for it: they go with what they have.
    if (this.waiting > 0 && !this.batching!.canGrow()) this.wake(true);
  }

  /** Batches waiting for items go with what they have (the server stops). */
  flush(): void {
    if (this.waiting > 0) this.wake(false);
  }

  private wake(arrived: boolean): void {
    for (const lane of this.lanes.values()) lane.waiter?.(arrived);
  }

  /** Removes the queued (not yet started) items of a group. @returns how many were removed */
  drop(group: string): number {
    let removed = 0;
    for (const lane of this.lanes.values()) {
      if (lane.group !== group) continue;
      removed += lane.items.length - lane.head;
      clear(lane);
      lane.waiter?.(false);
      if (!lane.running) this.lanes.delete(lane.id);
    }
    this.queued -= removed;
    for (let i = this.ready.length - 1; i >= 0; i--) if (this.ready[i]!.head === this.ready[i]!.items.length) this.ready.splice(i, 1);
    this.notifyIdle();
    return removed;
  }

  /** Items queued or running. */
  get size(): number {
    return this.queued + this.running;
  }

  /** Resolves once nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once no item of these groups is queued or running. */
  onIdleGroups(groups: ReadonlySet<string>): Promise<void> {
    if (!this.busy(groups)) return Promise.resolve();
    return new Promise((resolve) => this.groupWaiters.push({ groups, resolve }));
  }

  private busy(groups: ReadonlySet<string>): boolean {
    for (const g of groups) if ((this.runningByGroup.get(g) ?? 0) > 0) return true;
    for (const lane of this.lanes.values()) if (groups.has(lane.group) && lane.head < lane.items.length) return true;
    return false;
  }

  private pump(): void {
    while (this.active < this.concurrency && this.ready.length > 0) {
      const lane = this.ready.shift()!;
      lane.running = true;
      this.active++;
      this.runningByGroup.set(lane.group, (this.runningByGroup.get(lane.group) ?? 0) + 1);
      void this.runTurn(lane);
    }
  }

  /** Runs up to `turn` items of a lane, one after the other. `running` counts the item being run. */
  private async runTurn(lane: Lane<T>): Promise<void> {
    let n = 0;
    while (n < this.turn && lane.head < lane.items.length) {
      const at = lane.head++;
      const item = lane.items[at] as T;
      const tag = lane.tags[at]!;
      lane.items[at] = undefined;
      this.queued--;
      this.running++;
      const bounds = this.batching?.boundsOf(item);
      if (bounds) {
        n += await this.runBatch(lane, item, tag, bounds);
        continue;
      }
      n++;
      const pending = this.run(item, tag);
      this.settle(item, tag, pending instanceof Promise ? await pending : pending);
      this.running--;
    }
    if (lane.head === lane.items.length) clear(lane);
    else if (lane.head >= COMPACT_AT && lane.head * 2 >= lane.items.length) {
      // A lane that never runs dry would otherwise only grow.
      lane.items.splice(0, lane.head);
      lane.tags.splice(0, lane.head);
      lane.head = 0;
    }
    this.finish(lane, n >= this.turn);
  }

  /**
   * Forms a batch starting with `first` (taken, counted as running) and runs it, then settles its items in
   * order. Taken items count as running, so `drop()` leaves them and idle waits include them.
   * @returns the items run
   */
  private async runBatch(lane: Lane<T>, first: T, tag: number, bounds: BatchBounds): Promise<number> {
    const batching = this.batching!;
    const source = {
      peek: (): T | undefined => (lane.head < lane.items.length ? lane.items[lane.head] : undefined),
      take: (): number => {
        const at = lane.head++;
        lane.items[at] = undefined;
        this.queued--;
        this.running++;
        return lane.tags[at]!;
      },
      arrival: (ms: number) => this.arrival(lane, ms),
    };
    // `submit` starts a lane synchronously: let the caller finish queueing what it fetched along with `first`.
    await undefined;
    const { items, tags } = await collectBatch(first, tag, bounds, source, batching);
    const results = await batching.run(items, tags);
    // Each item stops counting as it settles: the last settle then sees the buffer's room (the fetch waits for it).
    for (let i = 0; i < items.length; i++) {
      this.running--;
      this.settle(items[i]!, tags[i]!, results[i]!);
    }
    return items.length;
  }

  /** Waits up to `ms` for an item on the lane; false when time ran out or the lane was dropped or flushed. */
  private arrival(lane: Lane<T>, ms: number): Promise<boolean> {
    this.waiting++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => lane.waiter?.(false), ms);
      lane.waiter = (arrived) => {
        clearTimeout(timer);
        lane.waiter = undefined;
        this.waiting--;
        resolve(arrived);
      };
    });
  }

  /**
   * @param fullTurn the lane ran a whole turn: the next one starts on a later turn of the event loop. Handlers
   *   that finish at once are chained through microtasks only, so without this a backlog of thousands of records
   *   would run without letting timers, I/O or the next consume callback in (measured: event-loop delay p99
   *   of 30-50 ms at 5000 buffered records).
   */
  private finish(lane: Lane<T>, fullTurn = false): void {
    lane.running = false;
    this.active--;
    const left = (this.runningByGroup.get(lane.group) ?? 1) - 1;
    if (left > 0) this.runningByGroup.set(lane.group, left);
    else this.runningByGroup.delete(lane.group);
    if (lane.head < lane.items.length) this.ready.push(lane);
    else this.lanes.delete(lane.id);
    if (fullTurn) this.pumpLater();
    else this.pump();
    this.notifyIdle();
  }

  private pumpLater(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private notifyIdle(): void {
    if (this.groupWaiters.length > 0) {
      const still = this.groupWaiters.filter((w) => this.busy(w.groups));
      const freed = this.groupWaiters.filter((w) => !still.includes(w));
      this.groupWaiters = still;
      for (const w of freed) w.resolve();
    }
    if (this.size !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function clear(lane: Lane<unknown>): void {
  lane.items.length = 0;
  lane.tags.length = 0;
  lane.head = 0;
}
