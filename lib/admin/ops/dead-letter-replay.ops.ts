import type { ClientConfig } from '../../client/config/index.js';
import { Consumer } from '../../client/consumer.js';
import type { Message, MessageHeader } from '../../client/message.js';
import { Producer } from '../../client/producer.js';
import { TopicPartition } from '../../client/topic-partition.js';
import { DeadLetterHeaders as H } from '../../transport/server/dead-letter/dead-letter.headers.js';
import type { AdminProperties } from '../admin-options.interface.js';
import { nativeAdminConfigOf } from '../admin-properties.js';

/** Options of `replayDeadLetters`. @publicApi */
export interface ReplayDeadLettersOptions {
  /** Only records it returns true for are replayed; the others are passed over (and committed past). @default every record */
  filter?: (record: Message) => boolean;
  /** Where a record goes: a topic, or null to pass it over. @default its `rdkafka-original-topic` header */
  to?: (record: Message) => string | null;
  /** The consumer group that keeps the replay's progress: a second run goes on where this one ended. @default `nest-rdkafka-replay-<topic>` */
  groupId?: string;
  /** Records replayed at most in this run. @default unlimited */
  maxRecords?: number;
  /** How long the run may take; it ends early, its progress committed. @default 60000 */
  timeoutMs?: number;
}

/** What a replay did. @publicApi */
export interface ReplayReport {
  /** Records written back (delivery acknowledged) and committed past. */
  readonly replayed: number;
  /** Records the filter (or `to`) passed over, committed past. */
  readonly passedOver: number;
  /**
   * Records that could not be written back (no original topic header, the write failed): their partition's
   * replay stops there, uncommitted, so the next run tries them again.
   */
  readonly failed: readonly { readonly partition: number; readonly offset: number; readonly reason: string }[];
  /** Whether every partition was read up to where it ended when the run began. */
  readonly complete: boolean;
}

/** What the replay needs: a consumer in the replay group and a producer, both connected. @internal */
export interface ReplayIo {
  consumer: Pick<Consumer, 'assign' | 'consumeBatch' | 'commit' | 'committed' | 'getWatermarkOffsets' | 'pause'>;
  producer: Pick<Producer, 'produceAsync'>;
}

/** The failure headers a dead-letter or retry record carries: dropped on the way back. */
const OURS = new Set<string>(Object.values(H).filter((h) => !h.endsWith('.')));

/**
 * Writes the records of a dead-letter topic back to their original topic (and partition), key, value and
 * original headers as they were; values carried base64 (`rdkafka-base64.<name>`) are restored. Reads each
 * partition from the group's committed offset up to its end when the run began, and commits after every batch
 * what was written back (or passed over), so progress survives a crash (at-least-once: a record written back
 * just before a crash may be written twice).
 * @internal
 */
export async function replayDeadLetters(
  io: ReplayIo,
  topic: string,
  partitions: number,
  o: ReplayDeadLettersOptions = {},
): Promise<ReplayReport> {
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  const ends = await Promise.all([...Array(partitions).keys()].map((p) => io.consumer.getWatermarkOffsets(new TopicPartition(topic, p))));
  const committed = await io.consumer.committed([...Array(partitions).keys()].map((p) => new TopicPartition(topic, p)));
  // Next offset per partition, and whether it is finished (read to its end, or stopped at a failure).
  const next = ends.map(([low], p) => Math.max(low, committed.find((c) => c.partition === p)?.offset ?? -1));
  const finished = ends.map(([, high], p) => next[p]! >= high);
  io.consumer.assign(next.map((offset, p) => new TopicPartition(topic, p, offset)));
  const report = { replayed: 0, passedOver: 0, failed: [] as { partition: number; offset: number; reason: string }[] };
  const max = o.maxRecords ?? Infinity;
  while (finished.some((f) => !f) && report.replayed < max && Date.now() < deadline) {
    const batch = await io.consumer.consumeBatch(100, 200);
    const advanced = new Set<number>();
    for (const m of batch) {
      // Below `next`: fetched before a pause took effect or already done; offsets may have gaps (transactions).
      if (m.error || finished[m.partition] || m.offset < next[m.partition]! || report.replayed >= max) continue;
      const reason = await replayOne(io, m, o);
      if (reason !== null && reason !== 'passed over') {
        report.failed.push({ partition: m.partition, offset: m.offset, reason });
        finished[m.partition] = true;
        io.consumer.pause([new TopicPartition(topic, m.partition)]);
        continue;
      }
      if (reason === null) report.replayed++;
      else report.passedOver++;
      next[m.partition] = m.offset + 1;
      advanced.add(m.partition);
      if (next[m.partition]! >= ends[m.partition]![1]) finished[m.partition] = true;
    }
    if (advanced.size > 0)
      await io.consumer.commit({ offsets: [...advanced].map((p) => new TopicPartition(topic, p, next[p]!)), asynchronous: false });
  }
  return { ...report, complete: finished.every((f, p) => f && next[p]! >= ends[p]![1]) };
}

/** @returns null when written back, 'passed over', or why it could not be */
async function replayOne(io: ReplayIo, m: Message, o: ReplayDeadLettersOptions): Promise<string | null> {
  if (o.filter && !o.filter(m)) return 'passed over';
  const target = o.to ? o.to(m) : (m.header(H.ORIGINAL_TOPIC)?.toString() ?? null);
  if (target === null || target === '') return o.to ? 'passed over' : `no ${H.ORIGINAL_TOPIC} header`;
  const partition = o.to ? undefined : Number(m.header(H.ORIGINAL_PARTITION)?.toString() ?? -1);
  try {
    await io.producer.produceAsync(target, { key: m.key, value: m.value, headers: originalHeaders(m), partition });
    return null;
  } catch (err) {
    return `writing to ${target} failed: ${String(err)}`;
  }
}

/** The record's headers without ours, base64-carried values restored. */
function originalHeaders(m: Message): MessageHeader[] {
  const out: MessageHeader[] = [];
  for (const [name, value] of m.headers ?? []) {
    if (OURS.has(name)) continue;
    if (name.startsWith(H.BASE64_PREFIX)) out.push([name.slice(H.BASE64_PREFIX.length), Buffer.from(value?.toString() ?? '', 'base64')]);
    else out.push([name, value]);
  }
  return out;
}

/**
 * The admin operation: a consumer in the replay group and an idempotent producer on the admin's connection
 * properties, closed when the run ends.
 * @internal
 */
export async function replayDeadLettersOn(
  properties: AdminProperties,
  partitionsOf: (topic: string) => Promise<number>,
  topic: string,
  o: ReplayDeadLettersOptions = {},
): Promise<ReplayReport> {
  if (typeof topic !== 'string' || topic === '') throw new TypeError('replayDeadLetters: topic must be a non-empty string');
  const partitions = await partitionsOf(topic);
  const { plain, oauth } = nativeAdminConfigOf(properties);
  const shared = { ...plain, ...(oauth ? { oauth_cb: oauth } : {}) } as ClientConfig;
  const groupId = o.groupId ?? `nest-rdkafka-replay-${topic}`;
  const consumer = new Consumer({ ...shared, 'group.id': groupId, 'enable.auto.commit': false, 'auto.offset.reset': 'earliest' });
  // Idempotent: a retried send is not written twice. No topic creation: records go back to topics that exist.
  const producer = new Producer({ ...shared, 'enable.idempotence': true, 'linger.ms': 5, 'allow.auto.create.topics': false });
  try {
    await Promise.all([consumer.connect(), producer.connect()]);
    return await replayDeadLetters({ consumer, producer }, topic, partitions, o);
  } finally {
    await Promise.all([consumer.close().catch(() => undefined), producer.close(5000).catch(() => undefined)]);
  }
}
