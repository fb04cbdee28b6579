import type { NativeMetadata } from '../client/cluster-metadata.js';
import type { NativeBinding } from '../client/native/index.js';
import { FakeNativeConsumer } from './fake-native-consumer.js';
import { type FakeErrorOptions, type FakeLibrdKafkaError, fakeNativeError } from './fake-native-error.js';
import { FakeNativeProducer } from './fake-native-producer.js';

/**
 * Where a fault can be injected: `connect` (any client's connect), `produce` (produce() throws, as librdkafka's
 * `_QUEUE_FULL`), `delivery` (the delivery report carries the error), `consume` (a consume call fails),
 * `commit`, `seek`, `watermarks` (queryWatermarkOffsets) and `metadata` (getMetadata).
 * @publicApi
 */
export type FakeFaultPoint = 'connect' | 'produce' | 'delivery' | 'consume' | 'commit' | 'seek' | 'watermarks' | 'metadata';

/** Which calls a fault hits. @publicApi */
export interface FakeFaultOptions extends FakeErrorOptions {
  /** Only calls about this topic (produce, delivery, seek, watermarks, metadata). */
  readonly topic?: string;
  /** How many calls fail; `Infinity` until `clearFaults()`. @default 1 */
  readonly count?: number;
}

/** A record as a test writes it into a topic. @publicApi */
export interface FakeRecordInit {
  readonly key?: Buffer | string | null;
  readonly value?: Buffer | string | null;
  /**
   * `[name, value]` pairs in wire order. Consumers receive each as node-rdkafka builds it: a fresh object whose
   * property is set by plain assignment, so hostile names (`__proto__`, `constructor`) behave as from a broker.
   */
  readonly headers?: ReadonlyArray<readonly [string, Buffer | string]>;
  /** ms since the epoch. @default Date.now() */
  readonly timestamp?: number;
}

/** A record stored in a fake topic partition. @publicApi */
export interface FakeStoredRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<readonly [string, Buffer]>;
  readonly timestamp: number;
}

interface Fault {
  readonly point: FakeFaultPoint;
  readonly code: number;
  readonly options: FakeFaultOptions;
  left: number;
}

function toBuffer(v: Buffer | string | null | undefined): Buffer | null {
  return v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v);
}

/**
 * An in-memory Kafka cluster for unit tests: topics with partitions and offsets, committed offsets per group,
 * and fakes of node-rdkafka's `KafkaConsumer` and `Producer` bound to it (`binding`). Pass `binding` to our
 * `Consumer`/`Producer` (or use `serverOnFakeKafka`/`clientOnFakeKafka`) and the whole client layer and
 * transport run as in production, without a broker or the native addon: what a producer writes, a consumer
 * assigned to the partition reads. Faults are injected per call site with `inject()`.
 * @example
 * const kafka = new FakeKafka();
 * kafka.createTopic('orders', 2);
 * const consumer = new Consumer({ 'group.id': 'g' }, kafka.binding);
 * @publicApi
 */
export class FakeKafka {
  /** node-rdkafka's constructors, faked on this cluster. */
  readonly binding: NativeBinding;
  /** Every consumer created through `binding`, in creation order. */
  readonly consumers: FakeNativeConsumer[] = [];
  /** Every producer created through `binding`, in creation order. */
  readonly producers: FakeNativeProducer[] = [];
  /** A topic a producer writes to or asks metadata for is created (librdkafka's broker default). @default true */
  autoCreateTopics = true;
  /** Partitions of an auto-created topic. @default 1 */
  defaultPartitions = 1;
  /** A subscribing consumer is assigned every partition of its topics at once (a one-member group). @default true */
  autoAssign = true;
  private readonly topics = new Map<string, FakeStoredRecord[][]>();
  /** group → `partition:topic` → committed offset. */
  private readonly committedOffsets = new Map<string, Map<string, number>>();
  private faults: Fault[] = [];
  private roundRobin = 0;

  constructor() {
    this.binding = bindingTo(this);
  }

  /** Creates a topic, or adds partitions to it. Subscribed consumers get the new partitions (see `autoAssign`). */
  createTopic(name: string, partitions = 1): this {
    const log = this.topics.get(name) ?? [];
    const before = log.length;
    while (log.length < partitions) log.push([]);
    this.topics.set(name, log);
    if (log.length > before) for (const c of this.consumers) c.topicChanged(name);
    return this;
  }

  /** Partitions of a topic; 0 when it does not exist. */
  partitionCount(topic: string): number {
    return this.topics.get(topic)?.length ?? 0;
  }

  /** Names of the topics that exist. */
  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  /**
   * Writes records into a partition as a broker would (the topic is created when missing) and wakes consumers.
   * @returns the offsets given to the records
   */
  append(topic: string, records: FakeRecordInit | readonly FakeRecordInit[], partition = 0): number[] {
    if (this.partitionCount(topic) <= partition) this.createTopic(topic, partition + 1);
    const list: readonly FakeRecordInit[] = Array.isArray(records) ? records : [records as FakeRecordInit];
    const log = this.topics.get(topic)![partition]!;
    const offsets = list.map((r) => {
      const headers = (r.headers ?? []).map(([k, v]): readonly [string, Buffer] => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)]);
      const stored: FakeStoredRecord = {
        topic,
        partition,
        offset: log.length,
        key: toBuffer(r.key),
        value: toBuffer(r.value),
        headers,
        timestamp: r.timestamp ?? Date.now(),
      };
      log.push(stored);
      return stored.offset;
    });
    for (const c of this.consumers) c.wake();
    return offsets;
  }

  /** What a partition holds (all partitions, in partition order, when `partition` is omitted). */
  records(topic: string, partition?: number): FakeStoredRecord[] {
    const log = this.topics.get(topic) ?? [];
    return partition === undefined ? log.flat() : [...(log[partition] ?? [])];
  }

  /** The offset the next record of the partition gets (librdkafka's high watermark). */
  highWatermark(topic: string, partition: number): number {
    return this.topics.get(topic)?.[partition]?.length ?? 0;
  }

  /** The offset a group committed for a partition, or undefined. */
  committed(groupId: string, topic: string, partition: number): number | undefined {
    return this.committedOffsets.get(groupId)?.get(`${partition}:${topic}`);
  }

  /**
   * Makes the next call(s) at a point fail with a librdkafka error code.
   * @example kafka.inject('delivery', ErrorCode.MSG_SIZE_TOO_LARGE, { topic: 'orders.reply' })
   */
  inject(point: FakeFaultPoint, code: number, options: FakeFaultOptions = {}): this {
    this.faults.push({ point, code, options, left: options.count ?? 1 });
    return this;
  }

  /** Removes every injected fault. */
  clearFaults(): this {
    this.faults = [];
    return this;
  }

  /** The fault a call hits, if any (used up by this call). @internal */
  takeFault(point: FakeFaultPoint, topic?: string): FakeLibrdKafkaError | null {
    const f = this.faults.find((x) => x.point === point && x.left > 0 && (x.options.topic === undefined || x.options.topic === topic));
    if (!f) return null;
    if (--f.left <= 0) this.faults = this.faults.filter((x) => x !== f);
    return fakeNativeError(f.code, f.options);
  }

  /** Creates a topic a producer names, if the cluster allows it. @returns whether it exists now @internal */
  autoCreate(topic: string): boolean {
    if (this.partitionCount(topic) === 0 && this.autoCreateTopics) this.createTopic(topic, this.defaultPartitions);
    return this.partitionCount(topic) > 0;
  }

  /** The partition a record without one goes to: by key (hash), else round robin. @internal */
  partitionFor(topic: string, key: Buffer | null): number {
    const n = this.partitionCount(topic);
    if (!key) return this.roundRobin++ % n;
    let h = 0x811c9dc5;
    for (const b of key) h = Math.imul(h ^ b, 0x01000193);
    return (h >>> 0) % n;
  }

  /** Stores committed offsets of a group. @internal */
  commitOffsets(groupId: string, offsets: ReadonlyArray<{ topic: string; partition: number; offset: number }>): void {
    let group = this.committedOffsets.get(groupId);
    if (!group) this.committedOffsets.set(groupId, (group = new Map()));
    for (const o of offsets) group.set(`${o.partition}:${o.topic}`, o.offset);
  }

  /** Every partition of the topics a subscription names (`^…` names are patterns). @internal */
  partitionsOf(subscription: readonly string[]): { topic: string; partition: number }[] {
    const out: { topic: string; partition: number }[] = [];
    for (const [topic, log] of this.topics) {
      const hit = subscription.some((s) => (s.startsWith('^') ? new RegExp(s).test(topic) : s === topic));
      if (hit) for (let p = 0; p < log.length; p++) out.push({ topic, partition: p });
    }
    return out;
  }

  /** node-rdkafka's metadata of some topics (all when undefined); a missing topic is listed without partitions. @internal */
  metadata(topics?: readonly string[]): NativeMetadata {
    const names = topics ?? this.topicNames();
    return {
      orig_broker_id: 1,
      orig_broker_name: 'fake:9092/1',
      brokers: [{ id: 1, host: 'fake', port: 9092 }],
      topics: names.map((name) => ({
        name,
        partitions: Array.from({ length: this.partitionCount(name) }, (_, id) => ({ id, leader: 1, replicas: [1], isrs: [1] })),
      })),
    };
  }
}

/** node-rdkafka's `KafkaConsumer` and `Producer` as fakes that work on `kafka`. */
function bindingTo(kafka: FakeKafka): NativeBinding {
  return {
    KafkaConsumer: class extends FakeNativeConsumer {
      constructor(...[conf, topicConf]: ConstructorParameters<NativeBinding['KafkaConsumer']>) {
        super(kafka, Object.fromEntries(Object.entries(conf)), Object.fromEntries(Object.entries(topicConf)));
      }
    },
    Producer: class extends FakeNativeProducer {
      constructor(...[conf, topicConf]: ConstructorParameters<NativeBinding['Producer']>) {
        super(kafka, Object.fromEntries(Object.entries(conf)), Object.fromEntries(Object.entries(topicConf ?? {})));
      }
    },
  };
}
