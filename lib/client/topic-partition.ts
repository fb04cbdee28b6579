import type { KafkaError } from '../errors/index.js';
import { OFFSET_INVALID } from './offsets.js';

/** Optional parts of a TopicPartition. */
export interface TopicPartitionInit {
  /** @default OFFSET_INVALID (-1001) */
  offset?: number;
  /**
   * Commit metadata string. node-rdkafka 3.6 cannot pass it to librdkafka: commit(), storeOffsets() and
   * sendOffsetsToTransaction() refuse a non-empty one with `_NOT_IMPLEMENTED`, and committed() returns null.
   */
  metadata?: string | null;
  /** Leader epoch of the offset, when known. */
  leaderEpoch?: number | null;
  /** Per-partition error of a result (read-only in confluent_kafka). */
  error?: KafkaError | null;
}

/**
 * A topic, a partition and an offset: the unit of assignment, commit and seek (confluent_kafka's
 * `TopicPartition(topic, partition=-1, offset=-1001, metadata=None, leader_epoch=None)`).
 * @publicApi
 */
export class TopicPartition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string | null;
  readonly leaderEpoch: number | null;
  readonly error: KafkaError | null;

  /**
   * @param topic topic name
   * @param partition partition number; -1 means "any" where an API allows it
   * @param offset an absolute offset or a logical one (`OFFSET_BEGINNING`, `OFFSET_END`, `OFFSET_STORED`)
   */
  constructor(topic: string, partition = -1, offset: number = OFFSET_INVALID, init: Omit<TopicPartitionInit, 'offset'> = {}) {
    if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('TopicPartition: topic must be a non-empty string');
    if (!Number.isInteger(partition)) throw new TypeError(`TopicPartition: partition must be an integer, got ${String(partition)}`);
    if (!Number.isInteger(offset)) throw new TypeError(`TopicPartition: offset must be an integer, got ${String(offset)}`);
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.metadata = init.metadata ?? null;
    this.leaderEpoch = init.leaderEpoch ?? null;
    this.error = init.error ?? null;
  }

  /** A copy with other fields replaced. */
  with(changes: TopicPartitionInit): TopicPartition {
    return new TopicPartition(this.topic, this.partition, changes.offset ?? this.offset, {
      metadata: changes.metadata !== undefined ? changes.metadata : this.metadata,
      leaderEpoch: changes.leaderEpoch !== undefined ? changes.leaderEpoch : this.leaderEpoch,
      error: changes.error !== undefined ? changes.error : this.error,
    });
  }

  /** Same topic and partition (offsets aside). */
  samePartition(other: { topic: string; partition: number }): boolean {
    return this.topic === other.topic && this.partition === other.partition;
  }

  toString(): string {
    return `TopicPartition{topic=${this.topic},partition=${this.partition},offset=${this.offset}${this.error ? `,error=${this.error.toString()}` : ''}}`;
  }
}

/** Anything with a topic and a partition (and maybe an offset) that the APIs accept besides TopicPartition. */
export interface TopicPartitionLike {
  topic: string;
  partition: number;
  offset?: number;
  metadata?: string | null;
  leaderEpoch?: number | null;
}

/** @internal */
export function toTopicPartition(tp: TopicPartitionLike): TopicPartition {
  if (tp instanceof TopicPartition) return tp;
  return new TopicPartition(tp.topic, tp.partition, tp.offset ?? OFFSET_INVALID, { metadata: tp.metadata, leaderEpoch: tp.leaderEpoch });
}
