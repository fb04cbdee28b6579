import type { TopicPartition } from '../../client/topic-partition.js';
import type { Message } from '../../client/message.js';
import { KafkaHeaders } from '../kafka-headers.enum.js';
import type { LaneBatching } from './batch/lane-batching.js';
import { type LaneRunner, LaneScheduler, type LaneSettler } from './lane-scheduler.js';
import type { HandlingOutcome } from './handler-error.policy.js';
import { PendingOffsets, partitionKey } from './offset-tracker.js';

/**
 * What the server knows of one assigned partition. Looked up once per record by topic and partition number,
 * so the hot path builds no map keys.
 * @internal
 */
export class PartitionState {
  /** The partition's lane and group id in the scheduler. */
  readonly key: string;
  /**
   * Changes when the partition is revoked, stopped or sought: a record of an older generation is stale unless
   * its offset lies below the cut of the stop or seek (see `PendingOffsets.tracks`).
   */
  gen = 0;
  /** The highest offset queued since the last reset: a lower or equal one arriving later is a stale prefetch. */
  last = -Infinity;
  /** Stopped by the error policy: until resumed, a record arriving was fetched before the stop. */
  held = false;
  readonly pending = new PendingOffsets();
  /** The next offset to commit (finished, not yet committed), or null. */
  stored: number | null = null;
  /** In the list of partitions with a stored offset. */
  dirty = false;
  /** Changes when the partition is revoked: an offset stored before must not be committed after. */
  epoch = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    this.key = partitionKey(topic, partition);
  }
}

/**
 * The fetched-but-unfinished records of a server: ordering lanes, the contiguous-offset bookkeeping and a
 * generation per partition. A partition's generation changes when it is revoked, stopped or sought, so
 * records queued before that are recognised as stale and dropped instead of being handled or committed.
 * @internal
 */
export class PartitionFlow {
  readonly scheduler: LaneScheduler<Message, HandlingOutcome>;
  private readonly states = new Map<string, PartitionState[]>();
  private readonly byKey: boolean;

  /**
   * @param concurrency handlers running at once
   * @param byKey order by partition and key rather than by partition (only matters above concurrency 1)
   * @param run handles one record; gets the generation it was queued under
   * @param settle gets how the record's handling ended
   * @param batching forms the batches of batch handlers (see LaneBatching)
   */
  constructor(
    concurrency: number,
    byKey: boolean,
    run: LaneRunner<Message, HandlingOutcome>,
    settle: LaneSettler<Message, HandlingOutcome>,
    batching?: LaneBatching<Message, HandlingOutcome>,
  ) {
    this.scheduler = new LaneScheduler(concurrency, run, settle, undefined, batching);
    // With one handler at a time every record runs in order anyway: lanes per key would only cost a key
    // encoding per record.
    this.byKey = byKey && concurrency > 1;
  }

  /** The state of a partition (created on first use; kept, so generations only grow). */
  state(topic: string, partition: number): PartitionState {
    let list = this.states.get(topic);
    if (!list) this.states.set(topic, (list = []));
    return (list[partition] ??= new PartitionState(topic, partition));
  }

  /**
   * Queues a record in its lane: its partition, or with `orderBy: 'key'` partition and key. A keyless
   * request (it carries a correlation id) is independent of its neighbours and gets a lane of its own, so raised
   * concurrency serves requests in parallel; keyless events keep partition order.
   */
  enqueue(record: Message): boolean {
    const s = this.state(record.topic, record.partition);
    // Offsets must increase for the bookkeeping: one that does not was fetched before a seek and arrived after it.
    if (s.held || record.offset <= s.last) return false;
    s.last = record.offset;
    s.pending.track(record.offset, s.gen);
    let lane = s.key;
    if (this.byKey) {
      const id = record.key ?? record.header(KafkaHeaders.CORRELATION_ID);
      if (id) lane = `${s.key}|${record.key ? 'k' : 'c'}${id.toString('base64')}`;
    }
    this.scheduler.submit(lane, s.key, record, s.gen);
    return true;
  }

  /**
   * Invalidates what is queued for a partition from `offset` on (all of it when offset is undefined) and bumps
   * its generation; records already running finish. With an offset (a stop or seek) records below it, running or
   * queued in other key lanes, still run and count: dropping them would leave their offsets pending for ever,
   * and the partition's commits with them. Queued records from the cut on are stale and skipped when reached.
   */
  reset(topic: string, partition: number, offset?: number): void {
    const s = this.state(topic, partition);
    s.gen++;
    if (offset === undefined) {
      this.scheduler.drop(s.key);
      s.pending.clear();
      s.last = -Infinity;
    } else {
      s.pending.truncateFrom(offset);
      s.last = Math.min(s.last, offset - 1);
    }
  }

  /** Forgets revoked partitions (a partition assigned again starts unpaused, as in librdkafka). */
  revoke(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      this.reset(tp.topic, tp.partition);
      const s = this.state(tp.topic, tp.partition);
      s.epoch++;
      s.held = false;
    }
  }

  /**
   * A handler's record at `from` moved its partition's fetch position to `target`: forward, the record still
   * counts and records below the target (fetched before the seek) are refused; back to or before it, the
   * bookkeeping restarts at the target.
   */
  seek(topic: string, partition: number, from: number, target: number): void {
    this.reset(topic, partition, Math.min(target, from + 1));
    const s = this.state(topic, partition);
    if (target > from + 1) s.last = Math.max(s.last, target - 1);
  }

  /** The error policy stopped a partition at `offset`: nothing is taken from it until `resume`. */
  stop(topic: string, partition: number, offset: number): void {
    this.reset(topic, partition, offset);
    this.state(topic, partition).held = true;
  }

  /** A stopped (or paused) partition fetches again. */
  resume(topic: string, partition: number): void {
    this.state(topic, partition).held = false;
  }

  /** Records queued or running. */
  get size(): number {
    return this.scheduler.size;
  }
}
