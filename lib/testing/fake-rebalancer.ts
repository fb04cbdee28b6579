import { ErrorCode } from '../errors/error-codes.js';
import type { FakeTopicPartition } from './fake-assignment.js';
import { fakeNativeError } from './fake-native-error.js';

/** One rebalance librdkafka reported to the application. @publicApi */
export interface FakeRebalance {
  readonly kind: 'assign' | 'revoke';
  readonly partitions: FakeTopicPartition[];
}

/** What the rebalancer needs of the fake consumer it serves. @internal */
export interface FakeGroupMember {
  readonly config: Readonly<Record<string, unknown>>;
  emit(event: string, ...args: unknown[]): boolean;
  assign(partitions: FakeTopicPartition[]): unknown;
  unassign(): unknown;
}

/**
 * The member side of a group rebalance, as librdkafka runs it: `rebalance_cb` with `_ASSIGN_PARTITIONS` /
 * `_REVOKE_PARTITIONS` (or the assignment applied directly without a callback), complete only once the
 * application called assign/unassign. Rebalances run one at a time, in order.
 * @internal
 */
export class FakeRebalancer {
  readonly history: FakeRebalance[] = [];
  private waiters: (() => void)[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly member: FakeGroupMember) {}

  /**
   * Queues a rebalance; resolves once the application applied it.
   * @param partitions evaluated when the rebalance starts (after the ones queued before it)
   */
  run(kind: 'assign' | 'revoke', partitions: () => FakeTopicPartition[]): Promise<void> {
    const run = () => this.apply(kind, partitions());
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  /** The application (un)assigned: the rebalance in progress is complete. */
  applied(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async apply(kind: 'assign' | 'revoke', partitions: FakeTopicPartition[]): Promise<void> {
    if (partitions.length === 0 && kind === 'assign') return;
    this.history.push({ kind, partitions });
    const applied = new Promise<void>((resolve) => this.waiters.push(resolve));
    const err = fakeNativeError(kind === 'assign' ? ErrorCode._ASSIGN_PARTITIONS : ErrorCode._REVOKE_PARTITIONS);
    const cb = this.member.config.rebalance_cb;
    const assignment = partitions.map((p) => ({ topic: p.topic, partition: p.partition }));
    this.member.emit('rebalance', err, assignment);
    if (typeof cb === 'function') cb.call(this.member, err, assignment);
    else if (kind === 'assign') this.member.assign(assignment);
    else this.member.unassign();
    await applied;
  }
}
