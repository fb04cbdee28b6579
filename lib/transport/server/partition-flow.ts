import type { TopicPartition } from '../../client/topic-partition.js';
import { KafkaHeaders } from '../kafka-headers.enum.js';
import { LaneScheduler } from './lane-scheduler.js';
import { OffsetTracker, partitionKey } from './offset-tracker.js';

/**
 * The fetched-but-unfinished records of a server: ordering lanes, the contiguous-offset bookkeeping and a
 * generation per partition. A partition's generation changes when it is revoked, stopped or sought, so
 * records queued before that are recognised as stale and dropped instead of being handled or committed.
 * @internal
 */
export class PartitionFlow {
  readonly scheduler: LaneScheduler;
  private readonly tracker = new OffsetTracker();
  private readonly generations = new Map<string, number>();
  /** Partitions paused by the `stop` policy, until resumed. */
  readonly stopped = new Set<string>();

  private readonly byKey: boolean;

  constructor(concurrency: number, byKey: boolean) {
    this.scheduler = new LaneScheduler(concurrency);
    // With one handler at a time every record runs in order anyway: lanes per key would only cost a key
    // encoding per record.
    this.byKey = byKey && concurrency > 1;
  }

  /** The current generation of a partition. */
  generation(topic: string, partition: number): number {
    return this.generations.get(partitionKey(topic, partition)) ?? 0;
  }

  /**
   * Queues a record's task in its lane: its partition, or with `orderBy: 'key'` partition and key. A keyless
   * request (it carries a correlation id) is independent of its neighbours and gets a lane of its own, so raised
   * concurrency serves requests in parallel; keyless events keep partition order.
   * @param task receives the generation the record was queued under
   */
  enqueue(record: { topic: string; partition: number; offset: number; key: Buffer | null; header(name: string): Buffer | null | undefined }, task: (gen: number) => Promise<void>): void {
    const pk = partitionKey(record.topic, record.partition);
    const gen = this.generation(record.topic, record.partition);
    this.tracker.track(record.topic, record.partition, record.offset);
    let lane = pk;
    if (this.byKey) {
      const id = record.key ?? record.header(KafkaHeaders.CORRELATION_ID);
      if (id) lane = `${pk}|${record.key ? 'k' : 'c'}${id.toString('base64')}`;
    }
    this.scheduler.submit(lane, pk, () => task(gen));
  }

  /** Marks a record finished. @returns the offset that may now be committed, or null */
  complete(topic: string, partition: number, offset: number): number | null {
    return this.tracker.complete(topic, partition, offset);
  }

  /**
   * Invalidates what is queued for a partition from `offset` on (all of it when offset is undefined) and bumps
   * its generation; records already running finish.
   */
  reset(topic: string, partition: number, offset?: number): void {
    const pk = partitionKey(topic, partition);
    this.generations.set(pk, this.generation(topic, partition) + 1);
    this.scheduler.drop(pk);
    if (offset === undefined) this.tracker.forget(topic, partition);
    else this.tracker.truncateFrom(topic, partition, offset);
  }

  /** Forgets revoked partitions. */
  revoke(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      this.reset(tp.topic, tp.partition);
      this.stopped.delete(partitionKey(tp.topic, tp.partition));
    }
  }

  /** Records queued or running. */
  get size(): number {
    return this.scheduler.size;
  }
}
