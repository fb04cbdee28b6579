import { ErrorCode, KafkaException } from '../../errors/index.js';
import type { AdminOperationOptions } from '../admin-options.interface.js';
import type { AdminResults } from '../admin-results.util.js';
import { ConsumerGroupTopicPartitions } from '../types/consumer-group-topic-partitions.js';

/** Options of `copyConsumerGroupOffsets`. @publicApi */
export interface CopyConsumerGroupOffsetsOptions extends AdminOperationOptions {
  /** Copy only these topics' offsets. @default every topic the source group committed */
  topics?: readonly string[];
  /**
   * Replace offsets the target group already committed. Off by default: a target with offsets of its own may
   * be a live service, and moving it would replay or skip its records.
   * @default false
   */
  overwrite?: boolean;
}

/** The two AdminClient operations the copy is made of. @internal */
export interface GroupOffsetsAdmin {
  listConsumerGroupOffsets(
    requests: readonly ConsumerGroupTopicPartitions[],
    options?: AdminOperationOptions,
  ): AdminResults<string, ConsumerGroupTopicPartitions>;
  alterConsumerGroupOffsets(
    requests: readonly ConsumerGroupTopicPartitions[],
    options?: AdminOperationOptions,
  ): AdminResults<string, ConsumerGroupTopicPartitions>;
}

async function committedOf(
  admin: GroupOffsetsAdmin,
  groupId: string,
  options: AdminOperationOptions,
): Promise<ConsumerGroupTopicPartitions> {
  return admin.listConsumerGroupOffsets([new ConsumerGroupTopicPartitions(groupId)], options).get(groupId)!;
}

/**
 * copyConsumerGroupOffsets: reads the source group's committed offsets and commits them for the target group,
 * so a service moved to a new group id (e.g. from Nest's kafkajs transport) resumes where the old one stopped.
 * @throws TypeError when both ids are the same
 * @throws KafkaException `_NO_OFFSET` when the source committed nothing (for `topics`), `_CONFLICT` when the
 *   target has offsets of its own (without `overwrite`), or the broker's error (`UNKNOWN_MEMBER_ID` while the
 *   target group has members)
 * @internal
 */
export async function copyConsumerGroupOffsets(
  admin: GroupOffsetsAdmin,
  fromGroupId: string,
  toGroupId: string,
  options: CopyConsumerGroupOffsetsOptions = {},
): Promise<ConsumerGroupTopicPartitions> {
  if (fromGroupId === toGroupId) throw new TypeError(`copyConsumerGroupOffsets: the source and target group are both '${fromGroupId}'`);
  const source = (await committedOf(admin, fromGroupId, options)).topicPartitions!.filter(
    (tp) => !options.topics || options.topics.includes(tp.topic),
  );
  const scope = options.topics ? ` for ${options.topics.join(', ')}` : '';
  if (source.length === 0)
    throw new KafkaException(ErrorCode._NO_OFFSET, `copyConsumerGroupOffsets: group '${fromGroupId}' has no committed offsets${scope}`);
  if (!options.overwrite) {
    const own = (await committedOf(admin, toGroupId, options)).topicPartitions!.filter((tp) => source.some((s) => s.samePartition(tp)));
    if (own.length > 0) {
      throw new KafkaException(
        ErrorCode._CONFLICT,
        `copyConsumerGroupOffsets: group '${toGroupId}' already committed ${own.map((tp) => `${tp.topic}[${tp.partition}]@${tp.offset}`).join(', ')}; pass overwrite: true to replace`,
      );
    }
  }
  const target = new ConsumerGroupTopicPartitions(
    toGroupId,
    source.map((tp) => ({ topic: tp.topic, partition: tp.partition, offset: tp.offset })),
  );
  return admin.alterConsumerGroupOffsets([target], options).get(toGroupId)!;
}
