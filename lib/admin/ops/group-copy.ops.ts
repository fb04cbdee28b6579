import { TopicPartition } from '../../client/topic-partition.js';
import { ErrorCode, KafkaException } from '../../errors/index.js';
import { ConsumerGroupState } from '../admin.enums.js';
import type { AdminOperationOptions, CopyConsumerGroupOffsetsOptions } from '../admin-options.interface.js';
import { adminPromise, withTimeout, type AdminResults } from '../admin-results.util.js';
import type { ConsumerGroupDescription } from '../types/admin-results.interface.js';
import { ConsumerGroupTopicPartitions } from '../types/consumer-group-topic-partitions.js';

/** The AdminClient operations the copy is made of (a seam for unit tests). @internal */
export interface GroupCopyAdmin {
  describeConsumerGroups(groupIds: readonly string[], options?: AdminOperationOptions): AdminResults<string, ConsumerGroupDescription>;
  listConsumerGroupOffsets(
    requests: readonly ConsumerGroupTopicPartitions[],
    options?: AdminOperationOptions,
  ): AdminResults<string, ConsumerGroupTopicPartitions>;
  alterConsumerGroupOffsets(
    requests: readonly ConsumerGroupTopicPartitions[],
    options?: AdminOperationOptions,
  ): AdminResults<string, ConsumerGroupTopicPartitions>;
}

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
async function assertInactive(admin: GroupCopyAdmin, what: string, toGroup: string, options: AdminOperationOptions): Promise<void> {
  const target = await admin
    .describeConsumerGroups([toGroup], options)
    .get(toGroup)!
    .catch((e: unknown) => {
      // A group the broker does not know (DescribeGroups v6 says so) is a fresh target, the usual migration case.
      if (e instanceof KafkaException && e.code === ErrorCode.GROUP_ID_NOT_FOUND) return null;
      throw e;
    });
  if (target === null) return;
  if (INACTIVE.has(target.state) && target.members.length === 0) return;
  throw new KafkaException(
    ErrorCode.NON_EMPTY_GROUP,
    `${what}: target group ${toGroup} is ${target.state} with ${target.members.length} member(s); stop its consumers first`,
  );
}

async function committedOf(admin: GroupCopyAdmin, groupId: string, options: AdminOperationOptions): Promise<readonly TopicPartition[]> {
  return (await admin.listConsumerGroupOffsets([new ConsumerGroupTopicPartitions(groupId)], options).get(groupId)!).topicPartitions ?? [];
}

/**
 * @throws KafkaException `_CONFLICT` when the target committed offsets of its own for any of these partitions:
 *   a target with offsets may be a live service, and moving it would replay or skip its records.
 */
async function assertNoOwnOffsets(
  admin: GroupCopyAdmin,
  what: string,
  toGroup: string,
  source: readonly TopicPartition[],
  options: AdminOperationOptions,
): Promise<void> {
  const own = (await committedOf(admin, toGroup, options)).filter((tp) => source.some((s) => s.samePartition(tp)));
  if (own.length === 0) return;
  throw new KafkaException(
    ErrorCode._CONFLICT,
    `${what}: group '${toGroup}' already committed ${own.map((tp) => `${tp.topic}[${tp.partition}]@${tp.offset}`).join(', ')}; pass overwrite: true to replace`,
  );
}

/**
 * copyConsumerGroupOffsets: reads the source group's committed offsets (a snapshot: stop the source's
 * consumers first for an exact hand-over) and commits them for the target group, so a service moved to a new
 * group id (e.g. from Nest's kafkajs transport) resumes where the old one stopped. The target must have no
 * members, and (unless `overwrite`) no offsets of its own for those partitions; a group the broker does not
 * know is a fresh target. Commit metadata is not copied (node-rdkafka cannot pass it to librdkafka's commit).
 * @param defaultTimeoutMs the whole call's timeout unless `options.requestTimeoutMs` is given
 * @returns the target group with the offsets it now has
 * @throws TypeError at once on an empty or identical group id, or an empty `topics`
 * @throws KafkaException (rejection) `NON_EMPTY_GROUP` for a target with members, `_NO_OFFSET` when the source
 *   committed nothing (for `topics`), `_CONFLICT` for a target with offsets of its own (without `overwrite`);
 *   nothing is committed in these cases
 * @internal
 */
export function copyConsumerGroupOffsets(
  admin: GroupCopyAdmin,
  fromGroup: string,
  toGroup: string,
  options: CopyConsumerGroupOffsetsOptions = {},
  defaultTimeoutMs = Infinity,
): Promise<ConsumerGroupTopicPartitions> {
  checkArguments(fromGroup, toGroup, options.topics);
  const what = `copyConsumerGroupOffsets(${fromGroup} → ${toGroup})`;
  const timeoutMs = options.requestTimeoutMs ?? defaultTimeoutMs;
  const each: AdminOperationOptions = Number.isFinite(timeoutMs) ? { requestTimeoutMs: timeoutMs } : {};
  return adminPromise(
    withTimeout(
      (async () => {
        await assertInactive(admin, what, toGroup, each);
        const wanted = (await committedOf(admin, fromGroup, each)).filter((tp) => !options.topics || options.topics.includes(tp.topic));
        if (wanted.length === 0) {
          const scope = options.topics ? ` for topic(s) ${options.topics.join(', ')}` : '';
          throw new KafkaException(ErrorCode._NO_OFFSET, `${what}: source group ${fromGroup} has no committed offsets${scope}`);
        }
        if (!options.overwrite) await assertNoOwnOffsets(admin, what, toGroup, wanted, each);
        const request = new ConsumerGroupTopicPartitions(
          toGroup,
          wanted.map((tp) => new TopicPartition(tp.topic, tp.partition, tp.offset)),
        );
        return admin.alterConsumerGroupOffsets([request], each).get(toGroup)!;
      })(),
      timeoutMs,
      what,
    ),
  );
}
