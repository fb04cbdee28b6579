import type { NativeMessage, NativeTopicPartitionOffset } from '../client/native/index.js';
import { OFFSET_BEGINNING, OFFSET_END, OFFSET_INVALID } from '../client/offsets.js';
import type { FakeKafka, FakeStoredRecord } from './fake-kafka.js';

/** A topic and partition, as node-rdkafka takes them. @publicApi */
export interface FakeTopicPartition {
  readonly topic: string;
  readonly partition: number;
}

type NativeHeader = NonNullable<NativeMessage['headers']>[number];

interface Owned extends FakeTopicPartition {
  /** The next offset to fetch; a logical offset (< 0) until the first fetch resolves it, as librdkafka does. */
  position: number;
  paused: boolean;
  /** Where an end-of-partition event was last reported (one per reaching the end). */
  eofAt: number;
}

/** An end-of-partition event and the number of messages before it in the batch. @internal */
export interface FakeEof {
  readonly at: number;
  readonly tpo: NativeTopicPartitionOffset;
}

const keyOf = (t: FakeTopicPartition): string => `${t.partition}:${t.topic}`;

/** node-rdkafka builds each header object by plain assignment (Nan::Set): a fresh object per consume. */
function toNative(r: FakeStoredRecord): NativeMessage {
  const m: NativeMessage = {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    key: r.key,
    value: r.value?.length ? r.value : null,
    size: r.value?.length ?? 0,
    timestamp: r.timestamp,
  };
  if (r.headers.length > 0) {
    m.headers = r.headers.map(([name, value]) => {
      const h: NativeHeader = {};
      h[name] = value;
      return h;
    });
  }
  return m;
}

/**
 * The partitions a fake consumer owns, with their fetch positions and pause state, and the fetch itself.
 * @internal
 */
export class FakeAssignment {
  private readonly owned = new Map<string, Owned>();

  /**
   * @param kafka the cluster fetched from
   * @param startOf where a partition without a usable offset starts (committed offset or `auto.offset.reset`)
   */
  constructor(
    private readonly kafka: FakeKafka,
    private readonly startOf: (tp: FakeTopicPartition) => number,
  ) {}

  get size(): number {
    return this.owned.size;
  }

  has(tp: FakeTopicPartition): boolean {
    return this.owned.has(keyOf(tp));
  }

  /** Adds partitions at their offsets (logical or none: resolved at the first fetch). */
  add(partitions: ReadonlyArray<FakeTopicPartition & { offset?: number }>): void {
    for (const p of partitions) {
      const position = typeof p.offset === 'number' ? p.offset : OFFSET_INVALID;
      this.owned.set(keyOf(p), { topic: p.topic, partition: p.partition, position, paused: false, eofAt: -1 });
    }
  }

  remove(partitions: readonly FakeTopicPartition[]): void {
    for (const p of partitions) this.owned.delete(keyOf(p));
  }

  clear(): void {
    this.owned.clear();
  }

  list(): FakeTopicPartition[] {
    return [...this.owned.values()].map((o) => ({ topic: o.topic, partition: o.partition }));
  }

  /** The next offset to fetch; `OFFSET_INVALID` before the first fetch or for a partition not owned. */
  position(tp: FakeTopicPartition): number {
    const at = this.owned.get(keyOf(tp))?.position ?? OFFSET_INVALID;
    return at >= 0 ? at : OFFSET_INVALID;
  }

  /** Moves the fetch position. @returns false for a partition not owned */
  seek(tp: FakeTopicPartition, offset: number): boolean {
    const o = this.owned.get(keyOf(tp));
    if (!o) return false;
    o.position = offset;
    o.eofAt = -1;
    return true;
  }

  setPaused(tp: FakeTopicPartition, paused: boolean): void {
    const o = this.owned.get(keyOf(tp));
    if (o) o.paused = paused;
  }

  isPaused(tp: FakeTopicPartition): boolean {
    return this.owned.get(keyOf(tp))?.paused ?? false;
  }

  /** Whether a fetch would return a record now. */
  hasData(): boolean {
    for (const o of this.owned.values()) if (!o.paused && this.resolve(o) < this.kafka.highWatermark(o.topic, o.partition)) return true;
    return false;
  }

  /** Takes up to `count` records from the unpaused partitions, and end-of-partition events when asked. */
  fetch(count: number, eofEvents: boolean): { messages: NativeMessage[]; eofs: FakeEof[] } {
    const messages: NativeMessage[] = [];
    const eofs: FakeEof[] = [];
    for (const o of this.owned.values()) {
      if (o.paused) continue;
      const log = this.kafka.records(o.topic, o.partition);
      let at = this.resolve(o);
      while (messages.length < count && at < log.length) messages.push(toNative(log[at++]!));
      o.position = at;
      if (eofEvents && at >= log.length && o.eofAt !== at) {
        o.eofAt = at;
        eofs.push({ at: messages.length, tpo: { topic: o.topic, partition: o.partition, offset: at } });
      }
    }
    return { messages, eofs };
  }

  /** Resolves a logical position as librdkafka does at the first fetch. */
  private resolve(o: Owned): number {
    if (o.position >= 0) return o.position;
    if (o.position === OFFSET_BEGINNING) o.position = 0;
    else if (o.position === OFFSET_END) o.position = this.kafka.highWatermark(o.topic, o.partition);
    else o.position = this.startOf(o);
    return o.position;
  }
}
