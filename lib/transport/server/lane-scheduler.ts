/** A unit of work; it must not reject (the scheduler does not handle errors). @internal */
export type LaneTask = () => Promise<void>;

interface Lane {
  readonly id: string;
  readonly group: string;
  readonly queue: LaneTask[];
  running: boolean;
}

/**
 * Runs tasks with at most `concurrency` at once while keeping the tasks of one lane strictly in order (a lane is a
 * partition, or a partition and key). Lanes take turns, so one busy key cannot starve the others.
 * @internal
 */
export class LaneScheduler {
  private readonly lanes = new Map<string, Lane>();
  private readonly ready: Lane[] = [];
  private running = 0;
  private queued = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly runningByGroup = new Map<string, number>();
  private groupWaiters: { groups: ReadonlySet<string>; resolve: () => void }[] = [];

  /** @param concurrency the most tasks running at once (>= 1) */
  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  }

  /**
   * Queues a task on a lane.
   * @param laneId tasks with one lane id run one at a time, in submission order
   * @param group what `drop()` removes by (the partition)
   */
  submit(laneId: string, group: string, task: LaneTask): void {
    let lane = this.lanes.get(laneId);
    if (!lane) this.lanes.set(laneId, (lane = { id: laneId, group, queue: [], running: false }));
    lane.queue.push(task);
    this.queued++;
    if (!lane.running && lane.queue.length === 1) this.ready.push(lane);
    this.pump();
  }

  /** Removes the queued (not yet started) tasks of a group. @returns how many were removed */
  drop(group: string): number {
    let removed = 0;
    for (const lane of this.lanes.values()) {
      if (lane.group !== group) continue;
      removed += lane.queue.length;
      lane.queue.length = 0;
      if (!lane.running) this.lanes.delete(lane.id);
    }
    this.queued -= removed;
    for (let i = this.ready.length - 1; i >= 0; i--) if (this.ready[i].queue.length === 0) this.ready.splice(i, 1);
    this.notifyIdle();
    return removed;
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.queued + this.running;
  }

  /** Resolves once nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once no task of these groups is queued or running. */
  onIdleGroups(groups: ReadonlySet<string>): Promise<void> {
    if (!this.busy(groups)) return Promise.resolve();
    return new Promise((resolve) => this.groupWaiters.push({ groups, resolve }));
  }

  private busy(groups: ReadonlySet<string>): boolean {
    for (const g of groups) if ((this.runningByGroup.get(g) ?? 0) > 0) return true;
    for (const lane of this.lanes.values()) if (groups.has(lane.group) && lane.queue.length > 0) return true;
    return false;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.ready.length > 0) {
      const lane = this.ready.shift()!;
      const task = lane.queue.shift()!;
      this.queued--;
      lane.running = true;
      this.running++;
      this.runningByGroup.set(lane.group, (this.runningByGroup.get(lane.group) ?? 0) + 1);
      void task().finally(() => this.finish(lane));
    }
  }

  private finish(lane: Lane): void {
    lane.running = false;
    this.running--;
    const left = (this.runningByGroup.get(lane.group) ?? 1) - 1;
    if (left > 0) this.runningByGroup.set(lane.group, left);
    else this.runningByGroup.delete(lane.group);
    if (lane.queue.length > 0) this.ready.push(lane);
    else this.lanes.delete(lane.id);
    this.pump();
    this.notifyIdle();
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
