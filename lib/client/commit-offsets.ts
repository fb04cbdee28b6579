import { ErrorCode, KafkaException } from '../errors/index.js';
import type { Message } from './message.js';
import { toNativeTopicPartition } from './native-convert.js';
import type { NativeTopicPartitionOffset } from './native/index.js';
import type { TopicPartitionLike } from './topic-partition.js';

/** What to commit or store: a message (its offset + 1) or explicit offsets. @publicApi */
export interface CommitOptions {
  message?: Message;
  offsets?: TopicPartitionLike[];
  /** Return at once and report through `on_commit` (true), or wait for the broker (false). @default true */
  asynchronous?: boolean;
}

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

/**
 * The offsets a commit or store names, for node-rdkafka; undefined for "the stored offsets of the assignment".
 * @throws KafkaException `_INVALID_ARG` for both a message and offsets, or an error message;
 *   `_NOT_IMPLEMENTED` for commit metadata
 * @internal
 */
export function commitOffsetsOf(what: CommitOptions, op: string): NativeTopicPartitionOffset[] | undefined {
  if (what.message && what.offsets) throw new KafkaException(ErrorCode._INVALID_ARG, `${op}(): give message or offsets, not both`);
  if (what.message) {
    const m = what.message;
    if (m.error) throw new KafkaException(ErrorCode._INVALID_ARG, `${op}(): cannot commit an error message`);
    return [{ topic: m.topic, partition: m.partition, offset: m.offset + 1 }];
  }
  refuseCommitMetadata(op, what.offsets);
  return what.offsets?.map(toNativeTopicPartition);
}
