import { ConfigException, ErrorCode, KafkaException, fromNativeError, toKafkaException } from '../errors/index.js';
import { ClientState } from './client-state.js';
import { callSafely } from './client-events.js';
import type { ConsumerConfig } from './config/index.js';
import { consumeNativeBatch } from './consume-batch.js';
import { commitOffsetsOf, type CommitOptions } from './commit-offsets.js';
import { ConsumerEventPump } from './consumer-event-pump.js';
import { ConsumerGroupMetadata } from './consumer-group-metadata.js';
import {
  RebalanceHandler,
  lostReasonOfCommitError,
  lostReasonOfLog,
  type RebalanceCallbacks,
  type RebalancePhase,
} from './consumer-rebalance.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, KafkaClientBase } from './kafka-client.base.js';
import type { Message } from './message.js';
import { topicPartitionFromNative, toNativeTopicPartition } from './native-convert.js';
import { loadNative, type NativeBinding, type NativeConsumer, type NativeTopicPartitionOffset } from './native/index.js';
import { OFFSET_INVALID } from './offsets.js';
import { expandTopicPartitions, toCommitOffsets, type TopicPartitionOffsetLike, type TopicPartitions } from './kafkajs-shapes.js';

export type { CommitOptions } from './commit-offsets.js';
import { TopicPartition, type TopicPartitionLike } from './topic-partition.js';

/** Slices a long consume() wait into native calls this long, so a total timeout can be honoured. */
const CONSUME_SLICE_MS = 100;

/**
 * confluent_kafka's `Consumer` on librdkafka: a group member (`group.id` required) that subscribes or
 * assigns, polls messages, and commits. Errors and end-of-partition events arrive as Messages whose `error`
 * is set.
 * @publicApi
 */
export class Consumer extends KafkaClientBase<NativeConsumer, ConsumerConfig> {
  readonly #groupId: string;
  readonly #rebalance: RebalanceHandler<Consumer>;
  /** node-rdkafka runs one consume at a time per consumer; calls queue here. */
  #consuming: Promise<unknown> = Promise.resolve();
  /** Consumes running or queued, and when the last one ended: the event pump serves only when idle. */
  #running = 0;
  #lastConsumeEnd = 1;
  readonly #pump: ConsumerEventPump;
  /** librdkafka reports end-of-partition events only with `enable.partition.eof`; without, batches skip looking for them. */
  readonly #eofEvents: boolean;
  /** A consume that only serves events is running. */
  #serving = false;

  /**
   * @param config librdkafka consumer properties (`group.id` required) plus `on_commit`, `error_cb`,
   *   `throttle_cb`, `stats_cb`, `logger`
   * @param binding the node-rdkafka classes to build on; unit tests pass fakes here. @internal
   * @throws ConfigException for a missing `group.id`, an unknown property or a mistyped value
   */
  constructor(config: ConsumerConfig, binding?: NativeBinding) {
    if (!config || typeof config['group.id'] !== 'string' || config['group.id'] === '') {
      throw new ConfigException('group.id', 'a Consumer needs a non-empty group.id');
    }
    let handler: RebalanceHandler<Consumer> | undefined;
    super(
      config,
      ['on_commit'],
      (global, topic) =>
        new (binding ?? loadNative()).KafkaConsumer(
          { ...global, rebalance_cb: (e: unknown, a: NativeTopicPartitionOffset[]) => handler?.handle(e, a), offset_commit_cb: true },
          topic,
        ),
    );
    this.#groupId = config['group.id'];
    this.#eofEvents = String(config['enable.partition.eof']) === 'true';
    this.#rebalance = handler = new RebalanceHandler<Consumer>(
      () => this.native,
      this as Consumer,
      this.logger,
      (phase, partitions) => {
        if (phase !== 'assign') this.#pump.revoked(partitions);
        this.onRebalance(phase, partitions);
      },
    );
    this.#pump = new ConsumerEventPump({
      native: () => this.native,
      consumeNoWait: () => consumeNativeBatch(this.native, 1, 0, false),
      connected: () => this.state === ClientState.CONNECTED,
      serial: (run) => this.serial(run),
      lastConsumeEnd: () => (this.#running > 0 ? 0 : this.#lastConsumeEnd),
    });
    const emitter = this.native as unknown as NodeJS.EventEmitter;
    emitter.on('offset.commit', (err: unknown, offsets: NativeTopicPartitionOffset[]) => {
      // librdkafka reports "no offsets to commit" for an idle auto-commit: not an error worth a callback.
      const error = err ? fromNativeError(err) : null;
      this.#pump.commitResultArrived();
      this.noteCommitError(error?.code);
      if (error?.code === ErrorCode._NO_OFFSET) return;
      callSafely(this.logger, 'on_commit', this.callbacks.on_commit, error, (offsets ?? []).map(topicPartitionFromNative));
    });
    emitter.on('event.log', (l: { fac?: string }) => {
      const reason = lostReasonOfLog(l?.fac);
      if (reason) this.#rebalance.lostReason = reason;
    });
  }

  /**
   * While connecting nothing can be assigned yet, so a consume with no wait only serves events (error_cb,
   * stats_cb): librdkafka puts a consumer's events on the queue its messages come from.
   * @internal
   */
  protected serveQueue(): void {
    if (this.#serving) return;
    this.#serving = true;
    try {
      // Queued like any consume, so an application's first consume() never runs beside it.
      void this.serial(() => consumeNativeBatch(this.native, 1, 0, false))
        .catch(() => undefined)
        .finally(() => {
          this.#serving = false;
        });
    } catch (e) {
      this.#serving = false;
      throw e;
    }
  }

  protected get logContext(): string {
    return `Consumer ${this.#groupId}`;
  }

  /** Hook for subclasses and the transport: a rebalance was applied. @internal */
  protected onRebalance(_phase: RebalancePhase, _partitions: TopicPartition[]): void {}

  /**
   * Subscribes to topics; a name starting with `^` (or a RegExp) is a pattern. Replaces any earlier
   * subscription. The callbacks run on each rebalance, before partitions are assigned or taken away.
   */
  subscribe(topics: Array<string | RegExp>, callbacks: RebalanceCallbacks<Consumer> = {}): void {
    this.assertUsable('subscribe');
    if (!Array.isArray(topics) || topics.length === 0)
      throw new KafkaException(ErrorCode._INVALID_ARG, 'subscribe(): topics must be a non-empty array');
    const names = topics.map((t) => (t instanceof RegExp ? (t.source.startsWith('^') ? t.source : `^${t.source}`) : t));
    this.#rebalance.callbacks = callbacks;
    this.wrap('subscribe', () => this.native.subscribe(names));
  }

  /** Leaves the subscription (partitions are revoked through the callbacks). */
  unsubscribe(): void {
    this.assertUsable('unsubscribe');
    this.wrap('unsubscribe', () => this.native.unsubscribe());
  }

  /** Assigns partitions manually (no group rebalancing), at their offsets (`OFFSET_STORED` by default). */
  assign(partitions: TopicPartitionLike[]): void {
    this.assertUsable('assign');
    this.#rebalance.assignedInCallback = true;
    this.wrap('assign', () => this.native.assign(partitions.map((p) => toNativeTopicPartition({ ...p, offset: p.offset ?? -1000 }))));
  }

  /** Removes the whole assignment. */
  unassign(): void {
    this.assertUsable('unassign');
    this.#rebalance.assignedInCallback = true;
    this.wrap('unassign', () => this.native.unassign());
  }

  /** Adds partitions to the assignment (cooperative rebalancing). */
  incrementalAssign(partitions: TopicPartitionLike[]): void {
    this.assertUsable('incrementalAssign');
    this.#rebalance.assignedInCallback = true;
    this.wrap('incrementalAssign', () =>
      this.native.incrementalAssign(partitions.map((p) => toNativeTopicPartition({ ...p, offset: p.offset ?? -1000 }))),
    );
  }

  /** Removes partitions from the assignment (cooperative rebalancing). */
  incrementalUnassign(partitions: TopicPartitionLike[]): void {
    this.assertUsable('incrementalUnassign');
    this.#rebalance.assignedInCallback = true;
    this.wrap('incrementalUnassign', () => this.native.incrementalUnassign(partitions.map((p) => toNativeTopicPartition(p))));
  }

  /** The current assignment. */
  assignment(): TopicPartition[] {
    this.assertUsable('assignment');
    return this.wrap('assignment', () => this.native.assignments()).map((a) => new TopicPartition(a.topic, a.partition));
  }

  /** Resolves once the rebalances reported so far were applied (callbacks run, partitions (un)assigned). */
  rebalanceSettled(): Promise<void> {
    return this.#rebalance.settled();
  }

  /**
   * One message, an error/EOF event as a Message with `error` set, or null when `timeoutMs` passed.
   */
  async poll(timeoutMs = 1000): Promise<Message | null> {
    const [m] = await this.consume(1, timeoutMs);
    return m ?? null;
  }

  /**
   * Up to `numMessages` messages, waiting at most `timeoutMs` in all (confluent_kafka semantics: returns
   * early only when the batch is full or an error/EOF event arrives). A record that could not be converted
   * from node-rdkafka's form comes in its place as a Message with `error` `_BAD_MSG` naming its topic,
   * partition and offset (which it carries); the consumer has moved past it, the rest of the batch is kept.
   * @param timeoutMs -1 waits for ever
   */
  consume(numMessages = 1, timeoutMs = -1): Promise<Message[]> {
    this.assertUsable('consume');
    if (!Number.isInteger(numMessages) || numMessages < 1)
      throw new KafkaException(ErrorCode._INVALID_ARG, 'consume(): numMessages must be a positive integer');
    const run = async () => {
      const deadline = timeoutMs < 0 ? Infinity : Date.now() + timeoutMs;
      const out: Message[] = this.#pump.prefetched.splice(0, numMessages);
      while (out.length < numMessages) {
        this.assertUsable('consume');
        const slice = Math.max(1, Math.min(CONSUME_SLICE_MS, deadline - Date.now()));
        const batch = await consumeNativeBatch(this.native, numMessages - out.length, slice, this.#eofEvents);
        // A loop, not push(...batch): spreading passes each message as an argument, and a batch above ~120k
        // throws RangeError, losing records the consumer has already moved past.
        for (const m of batch) out.push(m);
        if (batch.some((m) => m.error)) {
          this.noteConsumerError(batch);
          break;
        }
        if (Date.now() >= deadline) break;
      }
      return out;
    };
    return this.serial(run);
  }

  /**
   * The loop primitive for high-throughput, low-latency consumers: returns at once with what is already
   * fetched (up to `max`); only when nothing is, waits up to `waitMs` for a first message and returns it with
   * whatever arrived with it. Error/EOF events come as Messages.
   */
  consumeBatch(max: number, waitMs: number): Promise<Message[]> {
    this.assertUsable('consumeBatch');
    return this.serial(async () => {
      if (this.#pump.prefetched.length) return this.#pump.prefetched.splice(0, max);
      // node-rdkafka's batch consume waits `timeout` after *every* message, so one call would hold each record
      // back by the whole wait. Instead: drain what is there without waiting (timeout 0); only when that finds
      // nothing, wait for one record and then drain again. With a backlog that is one native round trip per
      // batch: waiting first cost two, and the JS thread sat idle a fifth of the time during the second.
      const ready = await consumeNativeBatch(this.native, max, 0, this.#eofEvents);
      if (ready[0]?.error) this.noteConsumerError(ready);
      if (ready.length > 0 || waitMs <= 0) return ready;
      const first = await consumeNativeBatch(this.native, 1, waitMs, this.#eofEvents);
      if (first[0]?.error) this.noteConsumerError(first);
      if (first.length === 0 || max === 1 || first[0]!.error) return first;
      const rest = await consumeNativeBatch(this.native, max - 1, 0, this.#eofEvents);
      return rest.length === 0 ? first : [...first, ...rest];
    });
  }

  /**
   * A `_MAX_POLL_EXCEEDED` consumer error means librdkafka left the group: the revocation that follows is a loss.
   * (node-rdkafka drops a consumer error that follows messages in one batch; the MAXPOLL warning covers that.)
   */
  private noteConsumerError(batch: Message[]): void {
    if (batch.some((m) => m.error?.code === ErrorCode._MAX_POLL_EXCEEDED)) this.#rebalance.lostReason = 'max.poll.interval.ms exceeded';
  }

  /** A commit the coordinator refused because this member is gone: the revocation that follows is a loss. */
  private noteCommitError(code: number | undefined): void {
    const reason = lostReasonOfCommitError(code);
    if (reason) this.#rebalance.lostReason = reason;
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const p = this.#consuming.then(run, run);
    this.#running++;
    const done = () => {
      if (--this.#running === 0) this.#lastConsumeEnd = Date.now();
    };
    this.#consuming = p.then(done, done);
    return p;
  }

  /**
   * Commits a message's offset + 1, explicit offsets, or (neither) the stored offsets of the assignment (the
   * consumed positions unless `enable.auto.offset.store=false`). `TopicPartition.metadata` is refused with
   * `_NOT_IMPLEMENTED` (node-rdkafka 3.6 cannot pass it on) rather than dropped.
   * @returns when synchronous, the committed offsets: those given, or (neither given) the group's committed
   *   offsets of the assigned partitions, read back from the coordinator after the commit (node-rdkafka's
   *   commitSync() returns nothing); an empty list when asynchronous (see `on_commit`)
   * @throws KafkaException with the broker's error (e.g. `REBALANCE_IN_PROGRESS`, `_NO_OFFSET`)
   */
  async commit(what: CommitOptions = {}): Promise<TopicPartition[]> {
    this.assertUsable('commit');
    const offsets = commitOffsetsOf(what, 'commit');
    if (what.asynchronous ?? true) {
      this.wrap('commit', () => (offsets ? this.native.commit(offsets) : this.native.commit()));
      if (this.callbacks.on_commit) this.#pump.expectCommitResult();
      return [];
    }
    try {
      this.wrap('commit', () => this.native.commitSync(offsets ?? null));
    } catch (e) {
      this.noteCommitError((e as KafkaException).code);
      throw e;
    }
    // librdkafka reports synchronous commits to on_commit too.
    if (this.callbacks.on_commit) this.#pump.expectCommitResult();
    if (offsets) return offsets.map(topicPartitionFromNative);
    // The read position is not what was committed: with enable.auto.offset.store=false the stored offsets are.
    return this.committed(this.assignment());
  }

  /**
   * kafkajs' `commitOffsets` (what Nest's docs call on `KafkaContext.getConsumer()`): commits these offsets as
   * they are, each the next record to read, and waits for the broker.
   * @throws KafkaException `_INVALID_ARG` for an offset that is not a whole number, or the broker's error
   */
  async commitOffsets(offsets: TopicPartitionOffsetLike[]): Promise<void> {
    await this.commit({ offsets: toCommitOffsets(offsets), asynchronous: false });
  }

  /**
   * Marks a message (offset + 1) or offsets as processed, for the next auto-commit. Needs
   * `enable.auto.offset.store=false`.
   */
  storeOffsets(what: Omit<CommitOptions, 'asynchronous'>): void {
    this.assertUsable('storeOffsets');
    const offsets = commitOffsetsOf(what, 'storeOffsets');
    if (!offsets?.length) throw new KafkaException(ErrorCode._INVALID_ARG, 'storeOffsets(): give a message or offsets');
    this.wrap('storeOffsets', () => this.native.offsetsStore(offsets));
  }

  /** The group's committed offsets for these partitions. */
  committed(partitions: TopicPartitionLike[], timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<TopicPartition[]> {
    this.assertUsable('committed');
    return new Promise((resolve, reject) => {
      this.native.committed(partitions.map(toNativeTopicPartition), timeoutMs, (err, tps) =>
        err ? reject(toKafkaException(err)) : resolve(tps.map(topicPartitionFromNative)),
      );
    });
  }

  /** The next offset this consumer will read, per partition (`OFFSET_INVALID` before the first fetch). */
  position(partitions?: TopicPartitionLike[]): TopicPartition[] {
    this.assertUsable('position');
    const tps = partitions?.map(toNativeTopicPartition);
    return this.wrap('position', () => this.native.position(tps)).map(topicPartitionFromNative);
  }

  /** Moves the fetch position of an assigned partition. @throws KafkaException `_STATE` for an unassigned one */
  seek(partition: TopicPartitionLike, timeoutMs = 10_000): Promise<void> {
    this.assertUsable('seek');
    if (partition.offset === undefined || partition.offset === OFFSET_INVALID)
      throw new KafkaException(ErrorCode._INVALID_ARG, 'seek(): an offset is required');
    return new Promise((resolve, reject) => {
      this.native.seek(toNativeTopicPartition(partition), timeoutMs, (err) => (err ? reject(toKafkaException(err)) : resolve()));
    });
  }

  /**
   * Stops fetching from these partitions (their assignment stays). A kafkajs `{ topic }` entry pauses every
   * assigned partition of the topic, `{ topic, partitions }` those listed.
   */
  pause(partitions: (TopicPartitionLike | TopicPartitions)[]): void {
    this.assertUsable('pause');
    const tps = expandTopicPartitions(partitions, () => this.assignment());
    this.wrap('pause', () => this.native.pause(tps.map(toNativeTopicPartition)));
    this.#pump.paused(tps);
  }

  /** Fetches again from paused partitions; takes kafkajs `{ topic, partitions? }` entries too (see pause). */
  resume(partitions: (TopicPartitionLike | TopicPartitions)[]): void {
    this.assertUsable('resume');
    const tps = expandTopicPartitions(partitions, () => this.assignment()).map(toNativeTopicPartition);
    // While the event pump holds partitions paused, resuming waits for it (a few ms) so no message slips out.
    if (!this.#pump.resumed(tps)) this.wrap('resume', () => this.native.resume(tps));
  }

  /**
   * Low and high watermarks. `cached: true` answers at once from the last fetch (-1001 when unknown);
   * otherwise the partition leader is asked.
   */
  async getWatermarkOffsets(
    partition: TopicPartitionLike,
    options: { timeoutMs?: number; cached?: boolean } = {},
  ): Promise<[low: number, high: number]> {
    this.assertUsable('getWatermarkOffsets');
    if (options.cached) {
      const w = this.wrap('getWatermarkOffsets', () => this.native.getWatermarkOffsets(partition.topic, partition.partition));
      return [w.lowOffset, w.highOffset];
    }
    return new Promise((resolve, reject) => {
      this.native.queryWatermarkOffsets(partition.topic, partition.partition, options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, (err, w) =>
        err ? reject(toKafkaException(err)) : resolve([w.lowOffset, w.highOffset]),
      );
    });
  }

  /** For each partition (whose `offset` is a timestamp in ms), the earliest offset at or after it. */
  offsetsForTimes(partitions: TopicPartitionLike[], timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<TopicPartition[]> {
    this.assertUsable('offsetsForTimes');
    return new Promise((resolve, reject) => {
      this.native.offsetsForTimes(partitions.map(toNativeTopicPartition), timeoutMs, (err, tps) =>
        err ? reject(toKafkaException(err)) : resolve(tps.map(topicPartitionFromNative)),
      );
    });
  }

  /** Group metadata for `Producer.sendOffsetsToTransaction()`. */
  consumerGroupMetadata(): ConsumerGroupMetadata {
    this.assertUsable('consumerGroupMetadata');
    return new ConsumerGroupMetadata(this.#groupId, this.native);
  }

  /**
   * confluent_kafka's `memberid()`. node-rdkafka 3.6 has no binding for `rd_kafka_memberid`.
   * @throws KafkaException `_NOT_IMPLEMENTED`
   */
  memberId(): never {
    throw new KafkaException(
      ErrorCode._NOT_IMPLEMENTED,
      'memberId(): node-rdkafka 3.6 has no binding for rd_kafka_memberid; AdminClient.describeConsumerGroups() lists members',
    );
  }

  /** The rebalance protocol in use: `EAGER`, `COOPERATIVE` or `NONE` before joining. */
  rebalanceProtocol(): string {
    this.assertUsable('rebalanceProtocol');
    return this.native.rebalanceProtocol();
  }

  /**
   * Leaves the group: final auto-commit, revocation through the callbacks, then disconnect. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.state === ClientState.CLOSED || this.state === ClientState.CLOSING) return;
    const wasConnected = this.state === ClientState.CONNECTED;
    this.setState(ClientState.CLOSING);
    this.#pump.stop();
    await this.#consuming;
    if (wasConnected) await this.disconnectNative(DEFAULT_REQUEST_TIMEOUT_MS);
    else this.releaseUnconnected();
    await this.#rebalance.settled();
    this.setState(ClientState.CLOSED);
  }

  /** Runs a native call, turning node-rdkafka's thrown errors into KafkaException. */
  private wrap<T>(op: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      const ex = toKafkaException(e, ErrorCode._FAIL);
      throw new KafkaException(ex.error.code, `${op}(): ${ex.error.reason}`, { fatal: ex.error.fatal }, { cause: e });
    }
  }
}
