import type { LoggerService } from '@nestjs/common';
import type { KafkaError } from '../../errors/index.js';
import { ErrorCode } from '../../errors/index.js';
import { TopicPartition } from '../../client/topic-partition.js';
import type { PartitionState } from './partition-flow.js';

/** What the committer needs of the consumer. @internal */
export interface CommitTarget {
  commit(what: { offsets: TopicPartition[]; asynchronous: boolean }): Promise<unknown>;
}

/** An offset taken for a commit, with the assignment it was stored under. */
interface Taken {
  readonly s: PartitionState;
  readonly offset: number;
  readonly epoch: number;
}

const CTX = 'ServerRdKafka';

/**
 * The server's commits of finished offsets: which partitions have an offset stored since the last commit, the
 * periodic asynchronous commit, the synchronous one of a revocation or close(), and what a failed commit
 * leaves behind. A commit the broker refuses is logged with its offsets, and the offsets are stored again to
 * go with the next commit (a newer offset stored meanwhile supersedes them) unless the partition was revoked
 * since: committing for a partition another member may own now could move its offset back.
 * @internal
 */
export class OffsetCommitter {
  /** Partitions with an offset stored since the last commit. */
  private dirty: PartitionState[] = [];
  /** Offsets handed to an asynchronous commit (`key@offset` → assignment epoch), until `on_commit` reports them. */
  private readonly inFlight = new Map<string, number>();

  /**
   * @param consumer commits
   * @param stateOf the state of a partition, for `on_commit` reports
   */
  constructor(
    private readonly consumer: CommitTarget,
    private readonly stateOf: (topic: string, partition: number) => PartitionState,
    private readonly logger: LoggerService,
  ) {}

  /** A partition's finished prefix moved: `next` goes with the next commit. */
  store(s: PartitionState, next: number): void {
    s.stored = next;
    if (!s.dirty) {
      s.dirty = true;
      this.dirty.push(s);
    }
  }

  /** Commits what finished since the last commit without waiting; the result comes through `onCommitted`. */
  commitAsync(): void {
    if (this.dirty.length === 0) return;
    const taken = this.take();
    for (const t of taken) this.inFlight.set(`${t.s.key}@${t.offset}`, t.epoch);
    const failed = (err: unknown): void => {
      for (const t of taken) this.inFlight.delete(`${t.s.key}@${t.offset}`);
      this.failed(taken, err, true);
    };
    try {
      void this.consumer.commit({ offsets: offsetsOf(taken), asynchronous: true }).catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  /**
   * Commits the stored offsets (of some partitions) synchronously: explicit, never the fetch positions.
   * @param keep store the offsets again when the commit fails (false for partitions on their way out)
   * @returns false when the commit failed and its offsets were kept for another attempt
   */
  async commit(only?: ReadonlySet<string>, keep = true): Promise<boolean> {
    const taken = this.take(only);
    if (taken.length === 0) return true;
    try {
      await this.consumer.commit({ offsets: offsetsOf(taken), asynchronous: false });
      return true;
    } catch (err) {
      return !this.failed(taken, err, keep);
    }
  }

  /** Forgets the stored offsets of partitions that were lost: they must not be committed. */
  discard(only: ReadonlySet<string>): void {
    this.take(only);
  }

  /** Whether any offset waits for a commit. */
  get pending(): boolean {
    return this.dirty.length > 0;
  }

  /**
   * The consumer's `on_commit`: failures of the server's asynchronous commits are logged and their offsets kept.
   * Reports of other commits (a context's own) are ignored here.
   */
  onCommitted(error: KafkaError | null, partitions: readonly TopicPartition[]): void {
    const failed: Taken[] = [];
    let why: KafkaError | null = error;
    for (const tp of partitions) {
      const s = this.stateOf(tp.topic, tp.partition);
      const id = `${s.key}@${tp.offset}`;
      const epoch = this.inFlight.get(id);
      if (epoch === undefined) continue;
      this.inFlight.delete(id);
      const err = tp.error ?? error;
      if (err && err.code !== ErrorCode._NO_OFFSET) {
        failed.push({ s, offset: tp.offset, epoch });
        why ??= err;
      }
    }
    if (failed.length > 0) this.failed(failed, why, true);
  }

  /** Takes the stored offsets (of some partitions) for a commit. */
  private take(only?: ReadonlySet<string>): Taken[] {
    const taken: Taken[] = [];
    const kept: PartitionState[] = [];
    for (const s of this.dirty) {
      if (only && !only.has(s.key)) {
        kept.push(s);
        continue;
      }
      taken.push({ s, offset: s.stored!, epoch: s.epoch });
      s.stored = null;
      s.dirty = false;
    }
    this.dirty = kept;
    return taken;
  }

  /** @returns whether offsets were kept for the next commit */
  private failed(taken: readonly Taken[], err: unknown, keep: boolean): boolean {
    if ((err as { code?: number })?.code === ErrorCode._NO_OFFSET) return false;
    let kept = 0;
    for (const t of taken) {
      // Revoked since (epoch moved) the partition may be another member's now; a newer stored offset wins.
      if (!keep || t.s.epoch !== t.epoch) continue;
      kept++;
      if (t.s.stored === null) this.store(t.s, t.offset);
    }
    const what =
      kept === taken.length
        ? 'kept for the next commit'
        : kept === 0
          ? 'not kept: the partitions were revoked'
          : `${kept} of ${taken.length} kept for the next commit (the others were revoked)`;
    this.logger.warn(`Commit of ${offsetsOf(taken).join(', ')} failed: ${String(err)}; ${what}`, CTX);
    return kept > 0;
  }
}

function offsetsOf(taken: readonly Taken[]): TopicPartition[] {
  return taken.map((t) => new TopicPartition(t.s.topic, t.s.partition, t.offset));
}
