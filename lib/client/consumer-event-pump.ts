import type { Message } from './message.js';
import type { TopicPartitionLike } from './topic-partition.js';

/** How often a commit result is looked for while the application is not consuming, in ms. */
const PUMP_INTERVAL_MS = 20;
/** The application counts as not consuming once its last consume ended this long ago, in ms. */
const IDLE_MS = 20;
/** How long one commit's result is looked for; after that the next consume() delivers it. */
const PUMP_WINDOW_MS = 10_000;

/** What the pump uses of node-rdkafka's KafkaConsumer (a seam for fakes). @internal */
export interface PumpNative {
  assignments(): NativePartition[];
  pause(partitions: NativePartition[]): unknown;
  resume(partitions: NativePartition[]): unknown;
}

/** A topic and partition, as node-rdkafka lists an assignment. */
type NativePartition = { topic: string; partition: number };

/** What the pump uses of its Consumer. @internal */
export interface EventPumpHost {
  native(): PumpNative;
  /** One native consume with no wait: serves the queue's callbacks, returns what messages it took. */
  consumeNoWait(): Promise<Message[]>;
  connected(): boolean;
  /** Runs `run` after any consume in flight and holds later ones back until it is done. */
  serial<T>(run: () => Promise<T>): Promise<T>;
  /** When the last consume ended (0 while one runs). */
  lastConsumeEnd(): number;
}

const keyOf = (tp: { topic: string; partition: number }) => `${tp.partition}\u0000${tp.topic}`;

/**
 * Delivers `on_commit` without a poll. librdkafka's C++ KafkaConsumer forwards the client's event queue to
 * the consumer queue (`rd_kafka_poll_set_consumer`), so a commit result waits behind the messages until the
 * application consumes again. While a result is due and the application is not consuming, the pump serves
 * that queue itself without taking a message: it pauses the assigned partitions first (librdkafka then
 * discards what they had fetched, and refetches it from the application's position on resume), consumes with
 * no wait (callbacks only), and resumes what it paused. Partitions the application paused stay paused; a
 * resume() asked for meanwhile is applied after. Anything that still arrives is kept for the next consume().
 * @internal
 */
export class ConsumerEventPump {
  /** Partitions the application paused: the pump never resumes them. */
  readonly #userPaused = new Set<string>();
  #deferredResumes: NativePartition[] = [];
  #serving = false;
  #awaited = 0;
  #until = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Messages a serve took after all: handed out first by the next consume. */
  prefetched: Message[] = [];

  constructor(private readonly host: EventPumpHost) {}

  /** A commit was made whose result goes to `on_commit`. */
  expectCommitResult(): void {
    this.#awaited++;
    this.#until = Date.now() + PUMP_WINDOW_MS;
    this.#timer ??= setInterval(() => this.tick(), PUMP_INTERVAL_MS);
  }

  /** A commit result reached `on_commit`. */
  commitResultArrived(): void {
    if (this.#awaited > 0 && --this.#awaited === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#awaited = 0;
  }

  /** The application paused these partitions. */
  paused(partitions: TopicPartitionLike[]): void {
    for (const tp of partitions) this.#userPaused.add(keyOf(tp));
  }

  /** The application resumes these partitions: true when the native resume must wait for a serve to end. */
  resumed(partitions: NativePartition[]): boolean {
    for (const tp of partitions) this.#userPaused.delete(keyOf(tp));
    if (!this.#serving) return false;
    this.#deferredResumes.push(...partitions);
    return true;
  }

  /** Partitions went away: forget their pauses and drop what was kept of them. */
  revoked(partitions: TopicPartitionLike[]): void {
    const gone = new Set(partitions.map(keyOf));
    for (const k of gone) this.#userPaused.delete(k);
    if (this.prefetched.length) this.prefetched = this.prefetched.filter((m) => !gone.has(keyOf(m)));
  }

  private tick(): void {
    if (Date.now() > this.#until) return this.stop();
    const end = this.host.lastConsumeEnd();
    if (this.#serving || end === 0 || Date.now() - end < IDLE_MS || !this.host.connected()) return;
    this.#serving = true;
    void this.host
      .serial(() => this.serveOnce())
      .catch(() => undefined)
      .finally(() => {
        this.#serving = false;
      });
  }

  private async serveOnce(): Promise<void> {
    const native = this.host.native();
    const held = native.assignments().filter((tp) => !this.#userPaused.has(keyOf(tp)));
    if (held.length) native.pause(held);
    try {
      const got = await this.host.consumeNoWait();
      this.prefetched.push(...got.filter((m) => !m.error));
    } finally {
      const still = new Set(native.assignments().map(keyOf));
      const resume = [...held.filter((tp) => !this.#userPaused.has(keyOf(tp))), ...this.#deferredResumes].filter((tp) =>
        still.has(keyOf(tp)),
      );
      this.#deferredResumes = [];
      if (resume.length) native.resume(resume);
    }
  }
}
