import { TopicPartition } from '../../client/topic-partition.js';
import { ErrorCode, KafkaException } from '../../errors/index.js';
import { ConsumerGroupState } from '../admin.enums.js';
import type { CopyConsumerGroupOffsetsOptions } from '../admin-options.interface.js';
import { adminPromise, withTimeout } from '../admin-results.util.js';
import { ConsumerGroupTopicPartitions } from '../types/consumer-group-topic-partitions.js';
import { requestTimeout, type AdminBackends } from './admin-backends.js';
import { describeConsumerGroups } from './group-describe.ops.js';
import { alterConsumerGroupOffsets, listConsumerGroupOffsets } from './group.ops.js';

/** States in which a group has no member that could commit over the copied offsets. */
const INACTIVE = new Set<ConsumerGroupState>([ConsumerGroupState.EMPTY, ConsumerGroupState.DEAD]);

function checkArguments(fromGroup: string, toGroup: string, topics: readonly string[] | undefined): void {
  for (const g of [fromGroup, toGroup]) {
    if (typeof g !== 'string' || g === '') throw new TypeError('copyConsumerGroupOffsets: group ids must be non-empty strings');
  }
  if (fromGroup === toGroup) throw new TypeError(`copyConsumerGroupOffsets: source and target are the same group (${fromGroup})`);
  if (topics !== undefined && (!Array.isArray(topics) || topics.length === 0 || topics.some((t) => typeof t !== 'string' || t === ''))) {
    throw new TypeError('copyConsumerGroupOffsets: topics must be a non-empty array of topic names');
  }
}

/** @throws KafkaException NON_EMPTY_GROUP while the target group has members (their commits would win). */
async function assertInactive(b: AdminBackends, what: string, toGroup: string, timeoutMs: number): Promise<void> {
  const target = await describeConsumerGroups(b, [toGroup], { requestTimeoutMs: timeoutMs }).get(toGroup)!.catch((e: unknown) => {
    // A group the broker does not know (DescribeGroups v6 says so) is a fresh target, the usual migration case.
    if (e instanceof KafkaException && e.code === ErrorCode.GROUP_ID_NOT_FOUND) return null;
    throw e;
  });
  if (target === null) return;
  if (INACTIVE.has(target.state) && target.members.length === 0) return;
  throw new KafkaException(ErrorCode.NON_EMPTY_GROUP,
    `${what}: target group ${toGroup} is ${target.state} with ${target.members.length} member(s); stop its consumers first`);
}

/**
 * copyConsumerGroupOffsets: reads the source group's committed offsets (a snapshot: stop the source's
 * consumers first for an exact hand-over) and commits them for the target group, which must have no members.
 * Commit metadata is not copied (node-rdkafka cannot pass it to librdkafka's commit).
 * @returns the target group with the offsets it now has
 * @internal
 */
export function copyConsumerGroupOffsets(b: AdminBackends, fromGroup: string, toGroup: string, options: CopyConsumerGroupOffsetsOptions = {}): Promise<ConsumerGroupTopicPartitions> {
  checkArguments(fromGroup, toGroup, options.topics);
  const what = `copyConsumerGroupOffsets(${fromGroup} → ${toGroup})`;
  const timeoutMs = requestTimeout(b, options);
  return adminPromise(withTimeout((async () => {
    await assertInactive(b, what, toGroup, timeoutMs);
    const source = await listConsumerGroupOffsets(b, [new ConsumerGroupTopicPartitions(fromGroup)], { requestTimeoutMs: timeoutMs }).get(fromGroup)!;
    const wanted = (source.topicPartitions ?? []).filter((tp) => !options.topics || options.topics.includes(tp.topic));
    if (wanted.length === 0) {
      const scope = options.topics ? ` for topic(s) ${options.topics.join(', ')}` : '';
      throw new KafkaException(ErrorCode._NOENT, `${what}: source group ${fromGroup} has no committed offsets${scope}`);
    }
    const offsets = wanted.map((tp) => new TopicPartition(tp.topic, tp.partition, tp.offset));
    const request = new ConsumerGroupTopicPartitions(toGroup, offsets);
    return alterConsumerGroupOffsets(b, [request], { requestTimeoutMs: timeoutMs }).get(toGroup)!;
  })(), timeoutMs, what));
}
