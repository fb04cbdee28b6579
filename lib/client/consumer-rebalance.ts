import { ErrorCode, KafkaError, fromNativeError } from '../errors/index.js';
import type { KafkaLogger } from './config/index.js';
import { topicPartitionFromNative, toNativeTopicPartition } from './native-convert.js';
import type { NativeTopicPartitionOffset } from './native/index.js';
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
   * Partitions were lost (session timeout, max.poll.interval.ms exceeded) rather than revoked in order: another
   * member may own them already, so do not commit for them. node-rdkafka has no binding for
   * `rd_kafka_assignment_lost()`; librdkafka's warnings for these two causes (`MAXPOLL`, `SESSTMOUT`, logged
   * at any `log_level` from 4), the `_MAX_POLL_EXCEEDED` consumer error, and a commit refused with
   * `UNKNOWN_MEMBER_ID`, `ILLEGAL_GENERATION` or `_ASSIGNMENT_LOST` mark the next revocation as lost.
   * Defaults to `onRevoke`, as in confluent_kafka.
   */
  onLost?: (consumer: C, partitions: TopicPartition[]) => unknown;
}

/** What the handler uses of node-rdkafka's KafkaConsumer (a seam for fakes). @internal */
export interface RebalanceNative {
  rebalanceProtocol(): string;
  isConnected(): boolean;
  assign(partitions: NativeTopicPartitionOffset[]): unknown;
  unassign(): unknown;
  incrementalAssign(partitions: NativeTopicPartitionOffset[]): unknown;
  incrementalUnassign(partitions: NativeTopicPartitionOffset[]): unknown;
}

/** What a rebalance did to the assignment. @internal */
export type RebalancePhase = 'assign' | 'revoke' | 'lost';

/** librdkafka's log facilities for the two ways a member loses its assignment without a rebalance. */
const LOST_FACILITIES: Readonly<Record<string, string>> = { MAXPOLL: 'max.poll.interval.ms exceeded', SESSTMOUT: 'session timed out' };

/** Why a librdkafka log line means the assignment is lost, or undefined. @internal */
export function lostReasonOfLog(fac: string | undefined): string | undefined {
  return fac === undefined ? undefined : LOST_FACILITIES[fac];
}

/** Commit errors that say this member no longer owns its assignment. */
const LOST_COMMIT_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.UNKNOWN_MEMBER_ID,
  ErrorCode.ILLEGAL_GENERATION,
  ErrorCode._ASSIGNMENT_LOST,
]);

/** Why a commit error means the assignment is lost (the coordinator no longer knows this member), or undefined. @internal */
export function lostReasonOfCommitError(code: number | undefined): string | undefined {
  return code !== undefined && LOST_COMMIT_ERRORS.has(code) ? `commit refused: ${new KafkaError(code).name}` : undefined;
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
  /** Why the current assignment is lost, if it is: the next revocation goes to `onLost`. */
  lostReason: string | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly native: () => RebalanceNative,
    private readonly consumer: C,
    private readonly logger: KafkaLogger | undefined,
    private readonly onChange: (phase: RebalancePhase, partitions: TopicPartition[]) => void,
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
    // The warning that marks a loss is dispatched to JS separately from the rebalance: let it land first.
    if (!assign) await new Promise((resolve) => setImmediate(resolve));
    const lost = !assign && this.lostReason !== undefined;
    if (lost) this.logger?.warn(`partitions lost (${this.lostReason}): ${partitions.map(String).join(', ')}`);
    const name = assign ? 'onAssign' : lost && this.callbacks.onLost ? 'onLost' : 'onRevoke';
    this.assignedInCallback = false;
    try {
      await this.callbacks[name]?.(this.consumer, partitions);
    } catch (e) {
      this.logger?.error(`${name} callback failed: ${String(e)}`, (e as Error)?.stack);
    }
    try {
      if (!this.assignedInCallback && this.native().isConnected()) this.applyNative(assign, cooperative, assignment, partitions);
    } catch (e) {
      this.logger?.error(`(un)assign after rebalance failed: ${String(e)}`);
    }
    this.lostReason = undefined;
    this.onChange(assign ? 'assign' : lost ? 'lost' : 'revoke', partitions);
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
