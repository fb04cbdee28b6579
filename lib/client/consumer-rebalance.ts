import { ErrorCode, fromNativeError } from '../errors/index.js';
import type { KafkaLogger } from './config/index.js';
import { topicPartitionFromNative, toNativeTopicPartition } from './native-convert.js';
import type { NativeConsumer, NativeTopicPartitionOffset } from './native/index.js';
import type { TopicPartition } from './topic-partition.js';

/**
 * Rebalance callbacks of `subscribe()` (confluent_kafka's on_assign / on_revoke / on_lost), called with the
 * consumer and the partitions. They may be async: librdkafka holds the rebalance until they finish, which is
 * how the transport drains handlers and commits before giving partitions away.
 * @publicApi
 */
export interface RebalanceCallbacks<C> {
  onAssign?: (consumer: C, partitions: TopicPartition[]) => unknown;
  onRevoke?: (consumer: C, partitions: TopicPartition[]) => unknown;
  /**
   * Partitions were lost (session timeout, max.poll.interval.ms exceeded) rather than revoked in order.
   * node-rdkafka has no binding for `rd_kafka_assignment_lost()`; a revocation counts as lost when librdkafka
   * reported `_MAX_POLL_EXCEEDED` since the last assignment. Defaults to `onRevoke`.
   */
  onLost?: (consumer: C, partitions: TopicPartition[]) => unknown;
}

/**
 * Serves node-rdkafka's `rebalance_cb`: calls the user's callback, then assigns or unassigns (incrementally
 * under the cooperative protocol) unless the callback already did, as confluent_kafka does.
 * @internal
 */
export class RebalanceHandler<C> {
  callbacks: RebalanceCallbacks<C> = {};
  /** Set when the user's callback called assign()/unassign() itself. */
  assignedInCallback = false;
  lostSinceAssign = false;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly native: () => NativeConsumer,
    private readonly consumer: C,
    private readonly logger: KafkaLogger | undefined,
    private readonly onChange: (phase: 'assign' | 'revoke', partitions: TopicPartition[]) => void,
  ) {}

  /** The function given to node-rdkafka as `rebalance_cb`. */
  readonly handle = (err: unknown, assignment: NativeTopicPartitionOffset[]): void => {
    // Rebalance events are applied one after another, even when a callback is slow.
    this.#chain = this.#chain.then(() => this.apply(fromNativeError(err).code, assignment));
  };

  private async apply(code: number, assignment: NativeTopicPartitionOffset[]): Promise<void> {
    const partitions = assignment.map(topicPartitionFromNative);
    const cooperative = this.native().rebalanceProtocol() === 'COOPERATIVE';
    const assign = code === ErrorCode._ASSIGN_PARTITIONS;
    if (!assign && code !== ErrorCode._REVOKE_PARTITIONS) {
      this.logger?.error(`rebalance error: ${fromNativeError(code).toString()}`);
    }
    const cb = assign ? this.callbacks.onAssign : (this.lostSinceAssign && this.callbacks.onLost) || this.callbacks.onRevoke;
    this.assignedInCallback = false;
    try {
      await cb?.(this.consumer, partitions);
    } catch (e) {
      this.logger?.error(`${assign ? 'onAssign' : 'onRevoke'} callback failed: ${String(e)}`, (e as Error)?.stack);
    }
    try {
      if (!this.assignedInCallback && this.native().isConnected()) this.applyNative(assign, cooperative, assignment, partitions);
    } catch (e) {
      this.logger?.error(`(un)assign after rebalance failed: ${String(e)}`);
    }
    if (assign) this.lostSinceAssign = false;
    this.onChange(assign ? 'assign' : 'revoke', partitions);
  }

  private applyNative(assign: boolean, cooperative: boolean, assignment: NativeTopicPartitionOffset[], partitions: TopicPartition[]): void {
    const native = this.native();
    if (assign) {
      const tps = partitions.map(toNativeTopicPartition);
      if (cooperative) native.incrementalAssign(tps);
      else native.assign(tps);
    } else if (cooperative) native.incrementalUnassign(assignment);
    else native.unassign();
  }

  /** Resolves once every rebalance event received so far has been applied. */
  settled(): Promise<void> {
    return this.#chain;
  }
}
