import { ErrorCode, KafkaException } from '../errors/index.js';
import type { TopicPartitionLike } from './topic-partition.js';

/**
 * Refuses commit metadata rather than dropping it. node-rdkafka 3.6 converts a topic-partition to librdkafka's
 * with topic, partition and offset only (src/common.cc), so `commit()`, `storeOffsets()` and
 * `sendOffsetsToTransaction()` cannot pass `metadata` on, and `committed()` never reads it back.
 * @throws KafkaException `_NOT_IMPLEMENTED` naming the first partition that carries metadata
 * @internal
 */
export function refuseCommitMetadata(op: string, partitions: readonly TopicPartitionLike[] | undefined): void {
  const withMetadata = partitions?.find((tp) => typeof tp.metadata === 'string' && tp.metadata !== '');
  if (!withMetadata) return;
  throw new KafkaException(
    ErrorCode._NOT_IMPLEMENTED,
    `${op}(): commit metadata cannot be stored (${withMetadata.topic} [${withMetadata.partition}]): node-rdkafka 3.6 passes only topic, partition and offset to librdkafka; refused before anything was committed or stored`,
  );
}
