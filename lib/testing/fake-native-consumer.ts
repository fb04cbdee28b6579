import type { NativeConsumer, NativeError, NativeMessage, NativeTopicPartitionOffset } from '../client/native/index.js';
import { OFFSET_END, OFFSET_INVALID } from '../client/offsets.js';
import { ErrorCode } from '../errors/error-codes.js';
import { FakeAssignment, type FakeTopicPartition } from './fake-assignment.js';
import type { FakeKafka } from './fake-kafka.js';
import { type FakeCallback, FakeNativeClient } from './fake-native-client.js';
import { fakeNativeError, NO_ERROR } from './fake-native-error.js';
import { type FakeRebalance, FakeRebalancer } from './fake-rebalancer.js';

/** One commit call: the offsets given (null: the current positions) and whether it was synchronous. @publicApi */
export interface FakeCommit {
  readonly offsets: NativeTopicPartitionOffset[] | null;
  readonly sync: boolean;
}

/**
 * A fake of node-rdkafka's `KafkaConsumer` on a `FakeKafka`. It fetches from the cluster's partitions at its
 * positions (logical offsets resolved at the first fetch from the group's committed offset or
 * `auto.offset.reset`), honours pause/resume/seek, calls `rebalance_cb` as librdkafka does, and records what the
 * application did: `commits`, `seeks`, `pauses`, `resumes`, `rebalances`, `stored`.
 * Test controls: `rebalance()`, `lose()`, `emitError()`; faults through `FakeKafka.inject()`.
 * @publicApi
 */
export class FakeNativeConsumer extends FakeNativeClient implements NativeConsumer {
  readonly commits: FakeCommit[] = [];
  readonly seeks: NativeTopicPartitionOffset[] = [];
  readonly pauses: FakeTopicPartition[] = [];
  readonly resumes: FakeTopicPartition[] = [];
  /** offsetsStore() calls, flattened. */
  readonly stored: NativeTopicPartitionOffset[] = [];
  protected readonly createsTopics = false;
  private readonly owned: FakeAssignment;
  private subscribed: string[] = [];
  private consumeTimeoutMs = 1000;
  private waiter: (() => void) | null = null;
  /** An error on the consumer queue: the next consume call returns it. */
  private queuedError: NativeError | null = null;
  private readonly rebalancer = new FakeRebalancer(this);

  constructor(kafka: FakeKafka, config: Readonly<Record<string, unknown>>, topicConfig: Readonly<Record<string, unknown>>) {
    super(kafka, config, topicConfig, 'consumer');
    this.owned = new FakeAssignment(kafka, (tp) => this.startOf(tp));
    kafka.consumers.push(this);
  }

  /** The rebalances reported to the application, in order. */
  get rebalances(): readonly FakeRebalance[] {
    return this.rebalancer.history;
  }

  /** The `group.id` it was created with. */
  get groupId(): string {
    return String(this.config['group.id']);
  }

  // ---- test controls ----

  /**
   * A group rebalance: librdkafka calls `rebalance_cb` (or assigns itself without one). Resolves once the
   * application applied it (called assign/unassign), as librdkafka waits for that. Rebalances run one at a time.
   * @param partitions by default every partition of the subscription (assign) or the whole assignment (revoke)
   */
  rebalance(kind: 'assign' | 'revoke', partitions?: FakeTopicPartition[]): Promise<void> {
    return this.rebalancer.run(
      kind,
      () => partitions ?? (kind === 'assign' ? this.kafka.partitionsOf(this.subscribed) : this.assignments()),
    );
  }

  /**
   * Partitions lost rather than revoked in order, as librdkafka reports it (rdkafka_cgrp.c): for
   * `max-poll` it puts `_MAX_POLL_EXCEEDED` on the consumer queue, so the next consume call fails with it (it is
   * not an `event.error`), and the group revokes the partitions; after a `session-timeout` only the revoke is
   * seen. node-rdkafka has no binding for `rd_kafka_assignment_lost()`, so that is all an application sees.
   */
  lose(cause: 'max-poll' | 'session-timeout' = 'max-poll', partitions?: FakeTopicPartition[]): Promise<void> {
    if (cause === 'max-poll') {
      this.queuedError = fakeNativeError(ErrorCode._MAX_POLL_EXCEEDED, {
        message: 'Application maximum poll interval (300000ms) exceeded by 1ms',
      });
      this.wake();
    }
    return this.rebalance('revoke', partitions);
  }

  /** An error event (`event.error`), as librdkafka's error_cb. */
  emitError(code: number, options: { fatal?: boolean; message?: string } = {}): void {
    this.emit('event.error', fakeNativeError(code, options));
  }

  /** Whether a partition is assigned and paused. */
  isPaused(topic: string, partition: number): boolean {
    return this.owned.isPaused({ topic, partition });
  }

  /** Wakes a waiting consume call (new data, resume, seek). @internal */
  wake(): void {
    if (this.waiter) setImmediate(this.waiter);
  }

  /** A topic was created or grew: a subscribed member gets its partitions (eager: revoke all, assign all). @internal */
  topicChanged(topic: string): void {
    if (!this.kafka.autoAssign || !this.connected || !this.kafka.partitionsOf(this.subscribed).some((p) => p.topic === topic)) return;
    if (this.rebalanceProtocol() === 'COOPERATIVE') {
      void this.rebalance(
        'assign',
        this.kafka.partitionsOf(this.subscribed).filter((p) => !this.owned.has(p)),
      );
      return;
    }
    if (this.owned.size > 0) void this.rebalance('revoke');
    void this.rebalance('assign');
  }

  private applied(): void {
    this.rebalancer.applied();
    this.wake();
  }

  // ---- node-rdkafka's KafkaConsumer ----

  subscribe(topics: (string | RegExp)[]): this {
    this.subscribed = topics.map((t) => (t instanceof RegExp ? t.source : t));
    if (this.kafka.autoAssign) setImmediate(() => void this.rebalance('assign'));
    return this;
  }

  subscription(): string[] {
    return [...this.subscribed];
  }

  unsubscribe(): this {
    this.subscribed = [];
    if (this.owned.size > 0) void this.rebalance('revoke');
    return this;
  }

  assign(assignments: FakeTopicPartition[]): this {
    this.owned.clear();
    return this.incrementalAssign(assignments);
  }

  incrementalAssign(assignments: FakeTopicPartition[]): this {
    this.owned.add(assignments);
    this.applied();
    return this;
  }

  unassign(): this {
    this.owned.clear();
    this.applied();
    return this;
  }

  incrementalUnassign(assignments: FakeTopicPartition[]): this {
    this.owned.remove(assignments);
    this.applied();
    return this;
  }

  assignments(): FakeTopicPartition[] {
    return this.owned.list();
  }

  rebalanceProtocol(): string {
    return String(this.config['partition.assignment.strategy'] ?? '').includes('cooperative') ? 'COOPERATIVE' : 'EAGER';
  }

  setDefaultConsumeTimeout(timeoutMs: number): void {
    this.consumeTimeoutMs = timeoutMs;
  }

  setDefaultConsumeLoopTimeoutDelay(_timeoutMs: number): void {}

  /**
   * Returns what is fetchable now (up to `count`); when nothing is, waits up to the consume timeout for a
   * record. Only the batch form `consume(count, cb)` is faked (the consume loop is not).
   */
  consume(count?: number | FakeCallback<NativeMessage[]>, callback?: FakeCallback<NativeMessage[]>): void {
    if (typeof count !== 'number' || !callback) throw new Error(`${this.name}: only consume(count, cb) is faked`);
    const cb = callback;
    const error = this.kafka.takeFault('consume') ?? this.notConnected();
    if (error) return void setImmediate(() => cb(error, []));
    let done = false;
    const deliver = (): void => {
      if (done) return;
      done = true;
      this.waiter = null;
      clearTimeout(timer);
      this.deliver(count, cb);
    };
    const timer =
      this.queuedError || this.owned.hasData() || this.consumeTimeoutMs <= 0 ? undefined : setTimeout(deliver, this.consumeTimeoutMs);
    if (timer === undefined) setImmediate(deliver);
    else this.waiter = deliver;
  }

  private deliver(count: number, cb: FakeCallback<NativeMessage[]>): void {
    const queued = this.queuedError;
    this.queuedError = null;
    if (queued) return void cb(queued, []);
    const { messages, eofs } = this.owned.fetch(count, String(this.config['enable.partition.eof']) === 'true');
    let e = 0;
    for (let i = 0; i <= messages.length; i++) {
      while (e < eofs.length && eofs[e]!.at <= i) this.emit('partition.eof', eofs[e++]!.tpo);
      if (i < messages.length) this.emit('data', messages[i]);
    }
    cb(NO_ERROR, messages);
  }

  /** Where a partition assigned without a usable offset starts: the group's committed offset, else the reset policy. */
  private startOf(tp: FakeTopicPartition): number {
    const reset = String(this.topicConfig['auto.offset.reset'] ?? this.config['auto.offset.reset'] ?? 'latest');
    const committed = this.kafka.committed(this.groupId, tp.topic, tp.partition);
    return committed ?? (['earliest', 'smallest', 'beginning'].includes(reset) ? 0 : this.kafka.highWatermark(tp.topic, tp.partition));
  }

  commit(offsets?: NativeTopicPartitionOffset | NativeTopicPartitionOffset[]): this {
    const error = this.applyCommit(offsets, false);
    if (this.config.offset_commit_cb) setImmediate(() => this.emit('offset.commit', error ?? NO_ERROR, this.commitList(offsets)));
    return this;
  }

  commitSync(offsets: NativeTopicPartitionOffset | NativeTopicPartitionOffset[] | null): this {
    const error = this.applyCommit(offsets ?? undefined, true);
    if (error) throw error;
    return this;
  }

  commitMessage(msg: NativeTopicPartitionOffset): this {
    return this.commit({ topic: msg.topic, partition: msg.partition, offset: msg.offset + 1 });
  }

  commitMessageSync(msg: NativeTopicPartitionOffset): this {
    return this.commitSync({ topic: msg.topic, partition: msg.partition, offset: msg.offset + 1 });
  }

  private commitList(offsets: NativeTopicPartitionOffset | NativeTopicPartitionOffset[] | undefined): NativeTopicPartitionOffset[] {
    if (offsets === undefined) return this.position().filter((p) => p.offset >= 0);
    return (Array.isArray(offsets) ? offsets : [offsets]).map((o) => ({ ...o }));
  }

  private applyCommit(offsets: NativeTopicPartitionOffset | NativeTopicPartitionOffset[] | undefined, sync: boolean): NativeError | null {
    const list = this.commitList(offsets);
    this.commits.push({ offsets: offsets === undefined ? null : list, sync });
    const error =
      this.kafka.takeFault('commit') ?? this.notConnected() ?? (list.length === 0 ? fakeNativeError(ErrorCode._NO_OFFSET) : null);
    if (!error) this.kafka.commitOffsets(this.groupId, list);
    return error;
  }

  committed(
    partitionsOrTimeout: FakeTopicPartition[] | number,
    timeoutOrCb: number | FakeCallback<NativeTopicPartitionOffset[]>,
    callback?: FakeCallback<NativeTopicPartitionOffset[]>,
  ): this {
    const cb = typeof timeoutOrCb === 'function' ? timeoutOrCb : callback;
    const tps = typeof partitionsOrTimeout === 'number' ? this.assignments() : partitionsOrTimeout;
    const out = tps.map((t) => ({
      topic: t.topic,
      partition: t.partition,
      offset: this.kafka.committed(this.groupId, t.topic, t.partition) ?? OFFSET_INVALID,
    }));
    setImmediate(() => cb?.(this.notConnected() ?? NO_ERROR, out));
    return this;
  }

  offsetsStore(offsets: NativeTopicPartitionOffset[]): void {
    for (const o of offsets) this.stored.push({ ...o });
  }

  /** The next offset to fetch per partition; `OFFSET_INVALID` before the first fetch, as librdkafka. */
  position(partitions?: FakeTopicPartition[]): NativeTopicPartitionOffset[] {
    return (partitions ?? this.assignments()).map((t) => ({ topic: t.topic, partition: t.partition, offset: this.owned.position(t) }));
  }

  seek(tpo: NativeTopicPartitionOffset, _timeout: number | null, cb: (err: NativeError) => void): this {
    this.seeks.push({ ...tpo });
    const error =
      this.kafka.takeFault('seek', tpo.topic) ??
      (this.owned.has(tpo) ? null : fakeNativeError(ErrorCode._STATE, { message: 'Local: Erroneous state (partition not assigned)' }));
    if (!error && this.owned.seek(tpo, tpo.offset)) this.wake();
    setImmediate(() => cb(error ?? NO_ERROR));
    return this;
  }

  pause(partitions: FakeTopicPartition[]): void {
    for (const p of partitions) {
      this.pauses.push({ topic: p.topic, partition: p.partition });
      this.owned.setPaused(p, true);
    }
  }

  resume(partitions: FakeTopicPartition[]): void {
    for (const p of partitions) {
      this.resumes.push({ topic: p.topic, partition: p.partition });
      this.owned.setPaused(p, false);
    }
    this.wake();
  }

  getWatermarkOffsets(topic: string, partition: number): { lowOffset: number; highOffset: number } {
    return { lowOffset: 0, highOffset: this.kafka.highWatermark(topic, partition) };
  }

  offsetsForTimes(
    partitions: NativeTopicPartitionOffset[],
    timeoutOrCb?: number | FakeCallback<NativeTopicPartitionOffset[]>,
    callback?: FakeCallback<NativeTopicPartitionOffset[]>,
  ): void {
    const cb = typeof timeoutOrCb === 'function' ? timeoutOrCb : callback;
    const out = partitions.map((p) => {
      const hit = this.kafka.records(p.topic, p.partition).find((r) => r.timestamp >= p.offset);
      return { topic: p.topic, partition: p.partition, offset: hit ? hit.offset : OFFSET_END };
    });
    setImmediate(() => cb?.(this.notConnected() ?? NO_ERROR, out));
  }

  /** librdkafka's consumer close: a subscribed member's partitions are revoked (the application drains) first. */
  protected async beforeDisconnect(): Promise<void> {
    if (this.subscribed.length > 0 && this.owned.size > 0) await this.rebalance('revoke');
    this.owned.clear();
    this.subscribed = [];
    this.waiter?.();
  }
}
