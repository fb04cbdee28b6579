import type { Consumer } from '../client/consumer.js';
import type { TopicPartition } from '../client/topic-partition.js';

/** One assigned partition as a health check sees it. @publicApi */
export interface PartitionProgress {
  readonly topic: string;
  readonly partition: number;
  /**
   * The committed offset. Before the group's first commit: the low watermark when the consumer starts at the
   * earliest offset (nothing handled yet), else the fetch position; null when unknown.
   */
  readonly offset: number | null;
  /** High watermark minus `offset` (0 when unknown). */
  readonly lag: number;
  /** How long `offset` has not moved while `lag` was above zero, in ms. */
  readonly stalledForMs: number;
}

/** What one sample of a consumer found. @publicApi */
export interface ConsumerSample {
  readonly assigned: number;
  /** How long the consumer has had no partition, in ms (0 while it has some). */
  readonly unassignedForMs: number;
  readonly lag: number;
  /**
   * The group coordinator did not answer for the committed offsets in time (it may be a hung broker while the
   * others serve the partitions): offsets are the fetch positions in this sample.
   */
  readonly committedUnknown: boolean;
  readonly partitions: readonly PartitionProgress[];
}

/** What a progress sample reads from a consumer. @internal */
export type ProgressConsumer = Pick<Consumer, 'assignment' | 'committed' | 'position' | 'getWatermarkOffsets'>;

const key = (tp: { topic: string; partition: number }): string => `${tp.topic}[${tp.partition}]`;

/**
 * Follows a consumer's progress between health checks: a partition whose lag stays above zero while its
 * committed offset does not move is stalled (a hung handler, a stopped partition). Kept per indicator
 * instance; the first sample of a partition starts its clock.
 * @internal
 */
export class ConsumerProgress {
  readonly #since = new Map<string, { offset: number | null; lag: number; since: number }>();
  #unassignedSince: number | null = null;

  /** @param startsAtEarliest whether the consumer's `auto.offset.reset` is `earliest`/`smallest`/`beginning` */
  constructor(private readonly startsAtEarliest: boolean) {}

  /**
   * @param consumer the server's consumer
   * @param timeoutMs bound of the committed-offset and watermark requests
   * @param now the current time (ms since the epoch)
   */
  async sample(consumer: ProgressConsumer, timeoutMs: number, now = Date.now()): Promise<ConsumerSample> {
    const assignment = consumer.assignment();
    if (assignment.length === 0) {
      this.#since.clear();
      this.#unassignedSince ??= now;
      return { assigned: 0, unassignedForMs: now - this.#unassignedSince, lag: 0, committedUnknown: false, partitions: [] };
    }
    this.#unassignedSince = null;
    const positions = consumer.position(assignment);
    // A check that fails because one broker hangs would say down while the others serve the records: without the
    // coordinator's answer, the fetch positions (local, no request) show progress instead.
    const committed = await consumer.committed(assignment, timeoutMs).catch(() => null);
    const byKey = new Map(positions.map((tp) => [key(tp), tp.offset]));
    const partitions = await Promise.all(
      (committed ?? positions).map((tp) => this.partition(consumer, tp, byKey.get(key(tp)), timeoutMs, now, committed === null)),
    );
    const live = new Set(partitions.map(key));
    for (const k of [...this.#since.keys()]) if (!live.has(k)) this.#since.delete(k);
    return {
      assigned: assignment.length,
      unassignedForMs: 0,
      lag: partitions.reduce((s, p) => s + p.lag, 0),
      committedUnknown: committed === null,
      partitions,
    };
  }

  private async partition(
    consumer: ProgressConsumer,
    tp: TopicPartition,
    position: number | undefined,
    timeoutMs: number,
    now: number,
    fromPosition: boolean,
  ): Promise<PartitionProgress> {
    let [low, high] = await consumer.getWatermarkOffsets(tp, { cached: true });
    // The cache fills from fetch responses; before the first one, ask the leader (a hung one: lag unknown).
    if (high < 0 || low < 0) [low, high] = await consumer.getWatermarkOffsets(tp, { timeoutMs }).catch((): [number, number] => [-1, -1]);
    // Without a commit the fetch position says nothing about handling (the server fetches ahead of its
    // handlers): a consumer starting at the earliest offset has handled nothing past the low watermark.
    const uncommitted = this.startsAtEarliest && !fromPosition ? low : position;
    const offset = tp.offset >= 0 ? tp.offset : uncommitted !== undefined && uncommitted >= 0 ? uncommitted : null;
    const lag = offset === null || high < 0 ? 0 : Math.max(0, high - offset);
    const k = key(tp);
    const prev = this.#since.get(k);
    // The clock starts when a sample first sees lag without progress: when the lag appeared between two checks
    // is unknown, and counting from the earlier one would report a stall before stallTimeoutMs has passed.
    const moved = !prev || prev.offset !== offset || lag === 0 || prev.lag === 0;
    const since = moved ? now : prev.since;
    this.#since.set(k, { offset, lag, since });
    return { topic: tp.topic, partition: tp.partition, offset, lag, stalledForMs: lag > 0 ? now - since : 0 };
  }
}
