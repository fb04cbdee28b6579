import type { LoggerService } from '@nestjs/common';
import type { Consumer } from '../../client/consumer.js';
import type { Message } from '../../client/message.js';
import { TopicPartition } from '../../client/topic-partition.js';
import { ErrorCode } from '../../errors/index.js';
import type { RdKafkaContextControls } from '../context/rdkafka.context.js';
import { RdKafkaStatus } from '../rdkafka-status.enum.js';
import type { HandlingOutcome } from './handler-error.policy.js';
import { partitionKey } from './offset-tracker.js';
import type { PartitionFlow } from './partition-flow.js';
import { type RecordDispatcher, where } from './record-dispatcher.js';

/** @internal */
export interface ConsumeLoopOptions {
  batchSize: number;
  maxBuffered: number;
  manualCommit: boolean;
  drainTimeoutMs: number;
  /** How often finished offsets are committed while running. */
  commitIntervalMs: number;
  logger: LoggerService;
  onStatus: (status: RdKafkaStatus) => void;
}

const CTX = 'ServerRdKafka';
/** How long one consume() call waits for records, in ms: also how fast stop() is noticed. */
const CONSUME_WAIT_MS = 100;

/**
 * The server's fetch loop: consumes batches, queues records in their ordering lanes, stores the offset of the
 * contiguous finished prefix of each partition, applies the outcome of the error policy (stop = pause and seek
 * back), drains handlers of revoked partitions before giving them away, and drains everything on stop.
 * @internal
 */
export class ServerConsumeLoop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private spaceWaiter: (() => void) | null = null;
  /** Offsets stored since the last commit, per partition: what close() and revocations commit explicitly. */
  private readonly stored = new Map<string, TopicPartition>();
  private commitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly flow: PartitionFlow,
    private readonly dispatcher: RecordDispatcher,
    private readonly o: ConsumeLoopOptions,
  ) {}

  /** Subscribes and starts fetching. */
  async start(topics: (string | RegExp)[]): Promise<void> {
    if (topics.length > 0) {
      this.consumer.subscribe(topics, {
        onAssign: () => this.o.onStatus(RdKafkaStatus.CONNECTED),
        onRevoke: (_c, partitions) => this.onRevoke(partitions),
      });
    }
    this.running = true;
    this.done = this.run();
    // Our own commit timer rather than librdkafka's auto-commit: we commit exactly the contiguous finished
    // prefix per partition, and the same map is what a revocation or close() commits synchronously.
    if (!this.o.manualCommit) this.commitTimer = setInterval(() => this.commitStoredAsync(), this.o.commitIntervalMs);
  }

  /** Stops fetching, drains running handlers (bounded) and commits what finished. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.commitTimer);
    this.spaceWaiter?.();
    await this.done;
    const drained = await withTimeout(this.flow.scheduler.onIdle(), this.o.drainTimeoutMs);
    if (!drained) this.o.logger.warn(`close(): ${this.flow.size} records still in flight after ${this.o.drainTimeoutMs} ms; they will be delivered again`, CTX);
    await this.commitStored();
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.flow.size >= this.o.maxBuffered) {
        await new Promise<void>((r) => { this.spaceWaiter = r; setTimeout(r, 50); });
        this.spaceWaiter = null;
        continue;
      }
      let batch: Message[];
      try {
        batch = await this.consumer.consumeBatch(this.o.batchSize, CONSUME_WAIT_MS);
      } catch (err) {
        if (!this.running) break;
        this.o.logger.error(`consume() failed: ${String(err)}`, (err as Error)?.stack, CTX);
        if ((err as { error?: { fatal?: boolean } }).error?.fatal) {
          this.running = false;
          this.o.onStatus(RdKafkaStatus.CRASHED);
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const m of batch) this.accept(m);
    }
  }

  private accept(m: Message): void {
    if (m.error) {
      if (m.error.code !== ErrorCode._PARTITION_EOF) this.o.logger.warn(`Consumer error: ${m.error.toString()}`, CTX);
      return;
    }
    this.flow.enqueue(m, async (gen) => {
      if (gen !== this.flow.generation(m.topic, m.partition)) return;
      const outcome = await this.dispatcher.process(m);
      if (gen !== this.flow.generation(m.topic, m.partition)) return;
      this.settle(m, outcome);
    });
  }

  private settle(m: Message, outcome: HandlingOutcome): void {
    if (outcome === 'aborted') return;
    if (outcome === 'stopped') return this.stopPartition(m);
    const next = this.flow.complete(m.topic, m.partition, m.offset);
    if (next !== null && !this.o.manualCommit) this.store(new TopicPartition(m.topic, m.partition, next));
    if (this.flow.size < this.o.maxBuffered) this.spaceWaiter?.();
  }

  /** Remembers a finished offset for the next commit (our timer, a revocation or close() commits it). */
  private store(tp: TopicPartition): void {
    this.stored.set(partitionKey(tp.topic, tp.partition), tp);
  }

  /** `stop` policy: pause, rewind to the failed record, forget what was queued after it. */
  private stopPartition(m: Message): void {
    const tp = new TopicPartition(m.topic, m.partition, m.offset);
    this.flow.reset(m.topic, m.partition, m.offset);
    this.flow.stopped.add(partitionKey(m.topic, m.partition));
    try {
      this.consumer.pause([tp]);
      void this.consumer.seek(tp).catch((e: unknown) => this.o.logger.error(`seek to ${where(m)} failed: ${String(e)}`, undefined, CTX));
    } catch (err) {
      this.o.logger.error(`Could not pause ${m.topic}[${m.partition}]: ${String(err)}`, undefined, CTX);
    }
    this.o.logger.error(`Partition ${m.topic}[${m.partition}] stopped at offset ${m.offset} by the error policy; call resume() to retry it`, undefined, CTX);
  }

  /** Resumes a stopped or paused partition. */
  resume(topic: string, partition: number): void {
    this.flow.stopped.delete(partitionKey(topic, partition));
    this.consumer.resume([new TopicPartition(topic, partition)]);
  }

  /** The manual controls a context gets for its record. */
  controlsFor(m: Message): RdKafkaContextControls {
    const tp = new TopicPartition(m.topic, m.partition);
    return {
      commit: async () => { await this.consumer.commit({ offsets: [tp.with({ offset: m.offset + 1 })], asynchronous: false }); },
      seek: async (offset) => {
        this.flow.reset(m.topic, m.partition, m.offset + 1);
        await this.consumer.seek(tp.with({ offset }));
      },
      pause: () => this.consumer.pause([tp]),
      resume: () => this.resume(m.topic, m.partition),
    };
  }

  /** Before partitions go: drop what is queued, let running handlers finish (bounded), commit. */
  private async onRevoke(partitions: TopicPartition[]): Promise<void> {
    this.o.onStatus(RdKafkaStatus.REBALANCING);
    const groups = new Set(partitions.map((tp) => partitionKey(tp.topic, tp.partition)));
    for (const tp of partitions) this.flow.scheduler.drop(partitionKey(tp.topic, tp.partition));
    await withTimeout(this.flow.scheduler.onIdleGroups(groups), this.o.drainTimeoutMs);
    this.flow.revoke(partitions);
    await this.commitStored(groups);
  }

  /** Commits what finished since the last commit, without waiting (errors arrive through `on_commit`). */
  private commitStoredAsync(): void {
    if (this.stored.size === 0) return;
    const offsets = [...this.stored.values()];
    this.stored.clear();
    try {
      void this.consumer.commit({ offsets, asynchronous: true }).catch((e: unknown) => this.o.logger.warn(`Commit failed: ${String(e)}`, CTX));
    } catch (err) {
      this.o.logger.warn(`Commit of ${offsets.join(', ')} failed: ${String(err)}`, CTX);
    }
  }

  /** Commits the stored offsets (of some partitions) synchronously: explicit, never the fetch positions. */
  private async commitStored(only?: ReadonlySet<string>): Promise<void> {
    const keys = [...this.stored.keys()].filter((k) => !only || only.has(k));
    if (this.o.manualCommit || keys.length === 0) return;
    const offsets = keys.map((k) => this.stored.get(k)!);
    for (const k of keys) this.stored.delete(k);
    try {
      await this.consumer.commit({ offsets, asynchronous: false });
    } catch (err) {
      if ((err as { code?: number }).code !== ErrorCode._NO_OFFSET) this.o.logger.warn(`Commit of ${offsets.join(', ')} failed: ${String(err)}`, CTX);
    }
  }
}

function withTimeout(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    p.then(() => { clearTimeout(t); resolve(true); }, () => { clearTimeout(t); resolve(false); });
  });
}
