import type { LoggerService } from '@nestjs/common';
import type { Consumer } from '../../client/consumer.js';
import type { RebalanceCallbacks } from '../../client/consumer-rebalance.js';
import type { Message } from '../../client/message.js';
import { isUnreadableRecord } from '../../client/native-convert.js';
import { TopicPartition } from '../../client/topic-partition.js';
import { ErrorCode, type KafkaError } from '../../errors/index.js';
import type { RdKafkaContextControls } from '../context/rdkafka.context.js';
import { RdKafkaStatus } from '../rdkafka-status.enum.js';
import { type AccessDenial, accessDenial } from './access-denial.js';
import type { HandlingOutcome } from './handler-error.policy.js';
import { OffsetCommitter } from './offset-committer.js';
import { partitionKey } from './offset-tracker.js';
import { PartitionFlow, type PartitionState } from './partition-flow.js';
import type { RecordDispatcher } from './record-dispatcher.js';
import { settlesWithin } from './deadline.js';
import { type LoopBatches, loopBatching } from './batch/loop-batches.js';
import { where } from './record-place.js';
import { DeadLetterHeaders, numericHeader } from './dead-letter/dead-letter.headers.js';

/** What the loop needs of the consumer (a seam for unit tests). @internal */
export interface LoopConsumer extends Pick<Consumer, 'consumeBatch' | 'commit' | 'pause' | 'resume' | 'seek' | 'assignment'> {
  subscribe(topics: Array<string | RegExp>, callbacks: RebalanceCallbacks<unknown>): void;
}
/** What the loop needs of the dispatcher; `settled` hears how each record's handling ended (tracing). @internal */
export type LoopDispatcher = Pick<RecordDispatcher, 'process'> & { settled?(m: Message, outcome: HandlingOutcome): void };

/** @internal */
export interface ConsumeLoopOptions {
  /** Handlers running at once. */
  concurrency: number;
  /** Order by partition and key rather than by partition (above concurrency 1). */
  byKey: boolean;
  batchSize: number;
  maxBuffered: number;
  manualCommit: boolean;
  /** How long stop() waits for running handlers, revocations on the way out included (one deadline). */
  drainTimeoutMs: number;
  /** How often finished offsets are committed while running. */
  commitIntervalMs: number;
  logger: LoggerService;
  /** The consumer group, for messages. */
  groupId: string;
  onStatus: (status: RdKafkaStatus) => void;
  /** Batch handlers: their records are handed over in batches (absent: every record runs alone). */
  batches?: LoopBatches;
  /** Told of each rebalance event (the rebalance metrics). */
  onRebalance?: (kind: 'assign' | 'revoke' | 'lost') => void;
}

const CTX = 'ServerRdKafka';
/** How long one consume() call waits for records, in ms: also how fast stop() is noticed. */
const CONSUME_WAIT_MS = 100;
/** close() tries a refused final commit this often at most, this far apart (within its deadline). */
const CLOSE_COMMIT_ATTEMPTS = 3;
const CLOSE_COMMIT_RETRY_MS = 100;

/**
 * The server's fetch loop: consumes batches, queues records in their ordering lanes, stores the offset of the
 * contiguous finished prefix of each partition, applies the outcome of the error policy (stop = pause and seek
 * back), drains handlers of revoked partitions before giving them away, and drains everything on stop.
 * @internal
 */
export class ServerConsumeLoop {
  readonly flow: PartitionFlow;
  private running = false;
  /** stop() ran (a crash ends fetching but not the drain and commit close() still owes). */
  private stopped = false;
  private done: Promise<void> = Promise.resolve();
  private spaceWaiter: (() => void) | null = null;
  /** What the timer, close() and revocations commit. */
  private readonly commits: OffsetCommitter;
  private commitTimer: NodeJS.Timeout | undefined;
  /** Set by stop(): when waiting for handlers ends, for stop() and the revocation that leaving the group causes. */
  private drainDeadline: number | null = null;
  private topics: (string | RegExp)[] = [];
  /** An ACL refusal reported and not yet overcome: the status stays `unauthorized` meanwhile. */
  private denied: AccessDenial | null = null;
  /** Retry-topic partitions paused until their next record is due: the timer that resumes each. */
  private readonly deferred = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly consumer: LoopConsumer,
    private readonly dispatcher: LoopDispatcher,
    private readonly o: ConsumeLoopOptions,
  ) {
    this.flow = new PartitionFlow(
      o.concurrency,
      o.byKey,
      (m, gen) => this.handle(m, gen),
      (m, gen, outcome) => this.settle(m, gen, outcome),
      o.batches &&
        loopBatching(
          o.batches,
          () => this.running && this.flow.size < o.maxBuffered,
          (m, gen) => current(this.flow.state(m.topic, m.partition), m, gen),
        ),
    );
    this.commits = new OffsetCommitter(consumer, (topic, partition) => this.flow.state(topic, partition), o.logger);
  }

  /**
   * The consumer's `on_commit` (the server sets it): asynchronous commits report here, and only here, whether
   * the broker took them.
   */
  onCommitted(error: KafkaError | null, partitions: readonly TopicPartition[]): void {
    this.commits.onCommitted(error, partitions);
  }

  /** Subscribes and starts fetching. */
  async start(topics: (string | RegExp)[]): Promise<void> {
    this.topics = topics;
    if (topics.length > 0) {
      this.consumer.subscribe(topics, {
        onAssign: (_c, partitions) => this.onAssigned(partitions),
        onRevoke: (_c, partitions) => this.onRevoke(partitions),
        onLost: (_c, partitions) => this.onLost(partitions),
      });
    }
    this.running = true;
    this.done = this.run();
    // Our own commit timer rather than librdkafka's auto-commit: we commit exactly the contiguous finished
    // prefix per partition, and the same offsets are what a revocation or close() commits synchronously.
    if (!this.o.manualCommit) this.commitTimer = setInterval(() => this.commits.commitAsync(), this.o.commitIntervalMs);
  }

  /** Stops fetching, drains running handlers (bounded) and commits what finished. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.running = false;
    this.drainDeadline = Date.now() + this.o.drainTimeoutMs;
    clearInterval(this.commitTimer);
    for (const t of this.deferred.values()) clearTimeout(t);
    this.deferred.clear();
    this.spaceWaiter?.();
    // A batch still waiting for records is handled now with what it has (and committed if it succeeds).
    this.flow.scheduler.flush();
    await this.done;
    const drained = await settlesWithin(this.flow.scheduler.onIdle(), this.drainLeftMs());
    if (!drained)
      this.o.logger.warn(
        `close(): ${this.flow.size} records still in flight after ${this.o.drainTimeoutMs} ms; they will be delivered again`,
        CTX,
      );
    await this.commitOnClose();
  }

  /** The last commit: one refused (e.g. during a rebalance) is tried again while close()'s deadline allows. */
  private async commitOnClose(): Promise<void> {
    for (let attempt = 1; !(await this.commitStored()) && attempt < CLOSE_COMMIT_ATTEMPTS && this.drainLeftMs() > 0; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(CLOSE_COMMIT_RETRY_MS, this.drainLeftMs())));
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.flow.size >= this.o.maxBuffered) {
        await new Promise<void>((r) => {
          this.spaceWaiter = r;
          setTimeout(r, 50);
        });
        this.spaceWaiter = null;
        continue;
      }
      let batch: Message[];
      try {
        // At most the free space: a whole batch on top of a nearly full buffer overshot the bound by a batch.
        batch = await this.consumer.consumeBatch(Math.min(this.o.batchSize, this.o.maxBuffered - this.flow.size), CONSUME_WAIT_MS);
      } catch (err) {
        if (!this.running) break;
        const error = (err as { error?: KafkaError }).error;
        if (error?.fatal) return this.crash(err);
        if (error && this.onDenied(error, '')) continue;
        this.o.logger.error(`consume() failed: ${String(err)}`, (err as Error)?.stack, CTX);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const m of batch) if (!this.accept(m)) return;
    }
  }

  /**
   * A fatal error (librdkafka's `fatal` flag, e.g. a fenced static member) leaves the consumer unusable: fetching
   * and the periodic commit end and the status says CRASHED; close() still drains what runs.
   */
  private crash(err: unknown): void {
    this.running = false;
    clearInterval(this.commitTimer);
    this.o.logger.error(`Fatal consumer error, the server stops consuming: ${String(err)}`, (err as Error)?.stack, CTX);
    this.o.onStatus(RdKafkaStatus.CRASHED);
  }

  /** @returns false when the loop must stop (a fatal error) */
  private accept(m: Message): boolean {
    // A record the client layer could not read still holds its offset: it goes to the dispatcher, whose error
    // policy skips (commits past) or stops at it, like any failed record.
    if (m.error && !isUnreadableRecord(m)) {
      // Errors come back as Messages (consumeNativeBatch): a fatal one must not pass as a warning.
      if (m.error.fatal) {
        this.crash(m.error);
        return false;
      }
      if (m.error.code === ErrorCode._PARTITION_EOF || this.onDenied(m.error, m.topic)) return true;
      const place = m.topic ? ` on ${m.topic}[${m.partition}]` : ` (subscribed to ${this.topics.map(String).join(', ')})`;
      this.o.logger.warn(`Consumer error${place}: ${m.error.toString()}`, CTX);
      return true;
    }
    // Records flow again: whatever was refused has been granted.
    if (this.denied) this.allowed();
    if (!this.flow.enqueue(m))
      this.o.logger.debug?.(`Dropped ${where(m)}: fetched before a seek or stop of its partition, delivered after it`, CTX);
    return true;
  }

  /**
   * An ACL refusal: logged once as an error naming topic, group and code, and the status turns `unauthorized`.
   * librdkafka reports it once and keeps trying, so the server keeps running.
   * @returns false when the error is not a refusal
   */
  private onDenied(error: KafkaError, topic: string): boolean {
    const denial = accessDenial(error, { topic, group: this.o.groupId, subscribed: this.topics, assignment: this.consumer.assignment() });
    if (!denial) return false;
    if (denial.message !== this.denied?.message) this.o.logger.error(denial.message, undefined, CTX);
    this.denied = denial;
    this.o.onStatus(RdKafkaStatus.UNAUTHORIZED);
    return true;
  }

  private allowed(): void {
    this.o.logger.log(`Records flow again: access was granted (before: ${this.denied?.message.split('. ')[0]})`, CTX);
    this.denied = null;
    this.o.onStatus(RdKafkaStatus.CONNECTED);
  }

  /** An assignment means the group could be joined; a topic refusal stands until its records flow. */
  private onAssigned(partitions: TopicPartition[]): void {
    this.o.onRebalance?.('assign');
    if (this.denied?.kind === 'group' && partitions.length > 0) this.denied = null;
    if (!this.denied) this.o.onStatus(RdKafkaStatus.CONNECTED);
  }

  /** Why the status is `unauthorized`: the refusal's message; null otherwise. */
  get accessProblem(): string | null {
    return this.denied?.message ?? null;
  }

  /** Runs one record (the scheduler's runner), unless it is stale (see `current`). */
  private handle(m: Message, gen: number): HandlingOutcome | Promise<HandlingOutcome> {
    if (!current(this.flow.state(m.topic, m.partition), m, gen)) return 'aborted';
    return this.dispatcher.process(m);
  }

  /** Applies how a record's handling ended (the scheduler's settler), unless its partition moved on meanwhile. */
  private settle(m: Message, gen: number, outcome: HandlingOutcome): void {
    this.dispatcher.settled?.(m, outcome);
    const s = this.flow.state(m.topic, m.partition);
    if (outcome === 'aborted' || !current(s, m, gen)) return;
    if (outcome === 'stopped') return this.stopPartition(m);
    if (outcome === 'deferred') return this.deferPartition(m);
    const next = s.pending.complete(m.offset);
    if (next !== null && !this.o.manualCommit) this.commits.store(s, next);
    if (this.spaceWaiter && this.flow.size < this.o.maxBuffered) this.spaceWaiter();
  }

  /** `stop` policy: pause, rewind to the failed record, forget what was queued after it. */
  private stopPartition(m: Message): void {
    this.holdAt(m);
    this.o.logger.error(
      `Partition ${m.topic}[${m.partition}] stopped at offset ${m.offset} by the error policy; call resume() to retry it`,
      undefined,
      CTX,
    );
  }

  /**
   * A retry topic's record not due yet: its partition waits at it, paused (no fetching, no busy loop), and
   * resumes when it is due. Records behind it are due later (each retry topic has one delay).
   */
  private deferPartition(m: Message): void {
    const due = numericHeader(m, DeadLetterHeaders.RETRY_DUE_AT) ?? 0;
    this.holdAt(m);
    const key = partitionKey(m.topic, m.partition);
    clearTimeout(this.deferred.get(key));
    const timer = setTimeout(
      () => {
        this.deferred.delete(key);
        if (this.running) this.resume(m.topic, m.partition);
      },
      Math.max(0, due - Date.now()),
    );
    this.deferred.set(key, timer);
  }

  /** Partitions going away: their resume timers go too (assigned again, a partition starts unpaused). */
  private undefer(groups: ReadonlySet<string>): void {
    for (const key of groups) {
      clearTimeout(this.deferred.get(key));
      this.deferred.delete(key);
    }
  }

  /** Pauses a partition and rewinds it to `m`, forgetting what was queued from `m` on. */
  private holdAt(m: Message): void {
    const tp = new TopicPartition(m.topic, m.partition, m.offset);
    this.flow.stop(m.topic, m.partition, m.offset);
    try {
      this.consumer.pause([tp]);
      void this.consumer.seek(tp).catch((e: unknown) => this.o.logger.error(`seek to ${where(m)} failed: ${String(e)}`, undefined, CTX));
    } catch (err) {
      this.o.logger.error(`Could not pause ${m.topic}[${m.partition}]: ${String(err)}`, undefined, CTX);
    }
  }

  /** Resumes a stopped or paused partition. */
  resume(topic: string, partition: number): void {
    this.flow.resume(topic, partition);
    this.consumer.resume([new TopicPartition(topic, partition)]);
  }

  /** The manual controls a context gets for its record (one small object; nothing is built until used). */
  controlsFor(m: Message): RdKafkaContextControls {
    return new RecordControls(this, this.consumer, m);
  }

  /**
   * Moves a partition's fetch position from a handler: what was queued after the record is dropped. Forward, the
   * record itself still counts when it finishes (the commit then follows the records from `offset` on); back to
   * or before it, it will be handled again and the bookkeeping restarts at `offset` (a logical offset clears it).
   * @internal
   */
  async seekFrom(m: Message, offset: number): Promise<void> {
    this.flow.seek(m.topic, m.partition, m.offset, offset);
    await this.consumer.seek(new TopicPartition(m.topic, m.partition, offset));
  }

  /**
   * Before partitions go: drop what is queued, let running handlers finish (bounded), commit (lost partitions
   * go through `onLost` instead).
   */
  private async onRevoke(partitions: TopicPartition[]): Promise<void> {
    this.o.onRebalance?.('revoke');
    this.o.onStatus(RdKafkaStatus.REBALANCING);
    const groups = new Set(partitions.map((tp) => partitionKey(tp.topic, tp.partition)));
    for (const key of groups) this.flow.scheduler.drop(key);
    this.undefer(groups);
    await settlesWithin(this.flow.scheduler.onIdleGroups(groups), this.drainLeftMs());
    this.flow.revoke(partitions);
    await this.commitStored(groups, false);
  }

  /**
   * Partitions lost rather than revoked (session timeout, max.poll.interval.ms): another member may own them
   * already, so nothing is committed for them, not even what finished; queued records are dropped and records
   * still running finish uncommitted (they will be delivered again to the new owner).
   */
  private onLost(partitions: TopicPartition[]): void {
    this.o.onRebalance?.('lost');
    this.o.onStatus(RdKafkaStatus.REBALANCING);
    const groups = new Set(partitions.map((tp) => partitionKey(tp.topic, tp.partition)));
    for (const key of groups) this.flow.scheduler.drop(key);
    this.undefer(groups);
    this.flow.revoke(partitions);
    this.commits.discard(groups);
    this.o.logger.warn(
      `Partitions lost (not revoked in order): ${partitions.map((tp) => `${tp.topic}[${tp.partition}]`).join(', ')}; their finished offsets are not committed, their records will be delivered again`,
      CTX,
    );
  }

  /**
   * How long a drain may still wait: all of `drainTimeoutMs` while running (a rebalance), what is left of
   * stop()'s deadline once closing, so close() keeps its documented bound instead of waiting twice.
   */
  drainLeftMs(): number {
    return this.drainDeadline === null ? this.o.drainTimeoutMs : Math.max(0, this.drainDeadline - Date.now());
  }

  /**
   * Commits the stored offsets (of some partitions) synchronously.
   * @param keep keep the offsets for another attempt when the commit fails (false for revoked partitions)
   * @returns false when it failed and the offsets were kept
   */
  private commitStored(only?: ReadonlySet<string>, keep = true): Promise<boolean> {
    if (this.o.manualCommit) return Promise.resolve(true);
    return this.commits.commit(only, keep);
  }
}

/**
 * Whether a record queued under generation `gen` still counts: queued under the current generation, or below
 * the cut of the stop or seek that ended its generation (it is then still tracked under `gen`).
 */
function current(s: PartitionState, m: Message, gen: number): boolean {
  return gen === s.gen || s.pending.tracks(m.offset, gen);
}

/** A context's manual controls, bound to its record. */
class RecordControls implements RdKafkaContextControls {
  constructor(
    private readonly loop: ServerConsumeLoop,
    private readonly consumer: LoopConsumer,
    private readonly m: Message,
  ) {}

  async commit(): Promise<void> {
    const { m } = this;
    await this.consumer.commit({ offsets: [new TopicPartition(m.topic, m.partition, m.offset + 1)], asynchronous: false });
  }

  seek(offset: number): Promise<void> {
    return this.loop.seekFrom(this.m, offset);
  }
  pause(): void {
    this.consumer.pause([new TopicPartition(this.m.topic, this.m.partition)]);
  }
  resume(): void {
    this.loop.resume(this.m.topic, this.m.partition);
  }
}
