import { TopicPartition } from '../../client/topic-partition.js';
import { ErrorCode, KafkaException } from '../../errors/index.js';
import { fromAdminError } from '../admin-error.mapper.js';
import type { AdminOperationOptions, ListOffsetsOptions } from '../admin-options.interface.js';
import { assertUniqueList, sharedResultMap, withTimeout, type AdminResults } from '../admin-results.util.js';
import type { DeletedRecords, ListOffsetsResultInfo } from '../types/admin-results.interface.js';
import { OffsetSpec } from '../types/offset-spec.js';
import { requestTimeout, type AdminBackends } from './admin-backends.js';

const tpKey = (tp: { topic: string; partition: number }): string => `${tp.topic}[${tp.partition}]`;

function checkPartitions(tps: readonly TopicPartition[], what: string): void {
  assertUniqueList(tps, what, (tp) => {
    if (!(tp instanceof TopicPartition) || tp.partition < 0) throw new TypeError(`${what}: expected TopicPartitions with a partition`);
    return tpKey(tp);
  });
}

/**
 * listOffsets: librdkafka's ListOffsets (through node-rdkafka's offsetsForTimes), which serves every
 * OffsetSpec including maxTimestamp. It reports offsets only: `timestamp` is -1 and `leaderEpoch` null.
 * @internal
 */
export function listOffsets(
  b: AdminBackends,
  specs: ReadonlyMap<TopicPartition, OffsetSpec>,
  options: ListOffsetsOptions = {},
): AdminResults<TopicPartition, ListOffsetsResultInfo> {
  const tps = [...specs.keys()];
  checkPartitions(tps, 'listOffsets');
  for (const [tp, spec] of specs)
    if (!(spec instanceof OffsetSpec)) throw new TypeError(`listOffsets: ${tp.toString()} needs an OffsetSpec`);
  const timeoutMs = requestTimeout(b, options);
  const query = tps.map((tp) => ({ topic: tp.topic, partition: tp.partition, offset: specs.get(tp)!.value }));
  const shared = withTimeout(b.native.listOffsets(query, options.isolationLevel ?? 0, timeoutMs), timeoutMs, 'listOffsets');
  return sharedResultMap(tps, shared, (answer, tp) => {
    const found = answer.find((a) => a.topic === tp.topic && a.partition === tp.partition);
    if (!found) throw new KafkaException(ErrorCode.UNKNOWN_TOPIC_OR_PART, `no answer for ${tpKey(tp)}`);
    if (found.error) throw found.error;
    return { offset: found.offset, timestamp: -1, leaderEpoch: null };
  });
}

/** Per-partition outcome of one topic's DeleteRecords. */
type TopicDeletion = Map<number, { lowWatermark: number } | { error: KafkaException }>;

/** kafkajs reports a partition missing from the metadata as "leader not found"; the broker's word is UNKNOWN_TOPIC_OR_PART. */
function deletionError(e: unknown, topic: string, partition: number): KafkaException {
  const inner = (e as { partitions?: { error?: { name?: string } }[] }).partitions?.[0]?.error;
  if (inner?.name === 'KafkaJSBrokerNotFound')
    return new KafkaException(ErrorCode.UNKNOWN_TOPIC_OR_PART, `${topic}[${partition}] has no leader`);
  return fromAdminError(e);
}

async function deleteTopicRecords(b: AdminBackends, topic: string, tps: TopicPartition[]): Promise<TopicDeletion> {
  const admin = await b.kafkajs.ready('deleteRecords');
  const out: TopicDeletion = new Map();
  // One request per partition: kafkajs fails a whole topic's call (deleting nothing) when one partition has
  // no leader, and would hide which partition failed.
  await Promise.all(
    tps.map(async (tp) => {
      try {
        await admin.deleteTopicRecords({ topic, partitions: [{ partition: tp.partition, offset: String(tp.offset) }] });
      } catch (e) {
        out.set(tp.partition, { error: deletionError(e, topic, tp.partition) });
      }
    }),
  );
  if (out.size === tps.length) return out;
  // DeleteRecords answers with each new low watermark but kafkajs drops it; read it back.
  const offsets = await admin.fetchTopicOffsets(topic);
  for (const tp of tps) {
    if (out.has(tp.partition)) continue;
    const low = offsets.find((o) => o.partition === tp.partition)?.low;
    out.set(tp.partition, { lowWatermark: Number(low ?? -1) });
  }
  return out;
}

/** deleteRecords: deletes every record before each partition's offset (-1: up to the high watermark). @internal */
export function deleteRecords(
  b: AdminBackends,
  tps: readonly TopicPartition[],
  options: AdminOperationOptions = {},
): AdminResults<TopicPartition, DeletedRecords> {
  checkPartitions(tps, 'deleteRecords');
  const bad = tps.find((tp) => tp.offset < -1);
  if (bad) throw new TypeError(`deleteRecords: ${bad.toString()} needs an absolute offset or -1 (high watermark)`);
  const timeoutMs = requestTimeout(b, options);
  const byTopic = new Map<string, TopicPartition[]>();
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp]);
  const perTopic = new Map(
    [...byTopic].map(
      ([topic, list]) => [topic, withTimeout(deleteTopicRecords(b, topic, list), timeoutMs, `deleteRecords(${topic})`)] as const,
    ),
  );
  const out = new Map<TopicPartition, Promise<DeletedRecords>>();
  for (const [topic, list] of byTopic) {
    const shared = sharedResultMap(list, perTopic.get(topic)!, (answer, tp) => {
      const r = answer.get(tp.partition)!;
      if ('error' in r) throw r.error;
      return { lowWatermark: r.lowWatermark };
    });
    for (const [tp, p] of shared) out.set(tp, p);
  }
  return out;
}
