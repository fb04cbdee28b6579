import { TopicPartition, toTopicPartition, type TopicPartitionLike } from '../../client/topic-partition.js';

/**
 * A group and some of its partitions (confluent_kafka `ConsumerGroupTopicPartitions(group_id,
 * topic_partitions=None)`): the input and result of listConsumerGroupOffsets / alterConsumerGroupOffsets.
 * @publicApi
 */
export class ConsumerGroupTopicPartitions {
  readonly groupId: string;
  /** The partitions; null asks listConsumerGroupOffsets for every partition the group committed. */
  readonly topicPartitions: readonly TopicPartition[] | null;

  /**
   * @param groupId the consumer group
   * @param topicPartitions partitions (with offsets when altering)
   * @throws TypeError on an empty group id
   */
  constructor(groupId: string, topicPartitions: readonly TopicPartitionLike[] | null = null) {
    if (typeof groupId !== 'string' || groupId.length === 0)
      throw new TypeError('ConsumerGroupTopicPartitions: groupId must be a non-empty string');
    this.groupId = groupId;
    this.topicPartitions = topicPartitions ? Object.freeze(topicPartitions.map(toTopicPartition)) : null;
  }
}
