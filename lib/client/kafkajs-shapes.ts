import { ErrorCode, KafkaException } from '../errors/index.js';
import type { TopicPartitionLike } from './topic-partition.js';

// Shapes kafkajs (and so Nest's Kafka transport and its docs) passes to a consumer, accepted beside ours so
// that handler code written for Nest's `KafkaContext` compiles and behaves the same against ours.

/** kafkajs' `{ topic, partitions? }` for `pause`/`resume`: every assigned partition of the topic when none are listed. @publicApi */
export interface TopicPartitions {
  topic: string;
  partitions?: number[];
}

/** kafkajs' `commitOffsets` entry: `offset` is the next record to read, as a string (kafkajs) or a number. @publicApi */
export interface TopicPartitionOffsetLike {
  topic: string;
  partition: number;
  offset: string | number;
}

/**
 * Expands kafkajs `{ topic, partitions? }` entries into topic-partitions; ours pass through unchanged.
 * @param assigned the consumer's current assignment, for a topic given without partitions
 * @internal
 */
export function expandTopicPartitions(entries: readonly (TopicPartitionLike | TopicPartitions)[], assigned: () => TopicPartitionLike[]): TopicPartitionLike[] {
  return entries.flatMap((entry) => {
    if ('partition' in entry && typeof entry.partition === 'number') return [entry];
    const { topic, partitions } = entry as TopicPartitions;
    return partitions ? partitions.map((partition) => ({ topic, partition })) : assigned().filter((tp) => tp.topic === topic);
  });
}

/**
 * kafkajs `commitOffsets` entries as ours; a string offset must be a whole number.
 * @throws KafkaException `_INVALID_ARG` for an offset that is not a whole number ≥ 0
 * @internal
 */
export function toCommitOffsets(entries: readonly TopicPartitionOffsetLike[]): TopicPartitionLike[] {
  return entries.map(({ topic, partition, offset }) => {
    const n = typeof offset === 'number' ? offset : /^\d+$/.test(offset) ? Number(offset) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new KafkaException(ErrorCode._INVALID_ARG, `commitOffsets(): offset ${JSON.stringify(offset)} of ${topic}[${partition}] is not a whole number >= 0`);
    }
    return { topic, partition, offset: n };
  });
}
