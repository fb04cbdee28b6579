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
export function expandTopicPartitions(
  entries: readonly (TopicPartitionLike | TopicPartitions)[],
  assigned: () => TopicPartitionLike[],
): TopicPartitionLike[] {
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
      throw new KafkaException(
        ErrorCode._INVALID_ARG,
        `commitOffsets(): offset ${JSON.stringify(offset)} of ${topic}[${partition}] is not a whole number >= 0`,
      );
    }
    return { topic, partition, offset: n };
  });
}

/** kafkajs' message in `producer.send({ topic, messages })`. Header values may be lists, as in kafkajs. @publicApi */
export interface KafkaJsMessageLike {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  partition?: number;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  /** ms since the epoch, as a string (kafkajs) or a number. */
  timestamp?: string | number;
}

/** kafkajs' `producer.send()` argument. @publicApi */
export interface KafkaJsProducerRecordLike {
  topic: string;
  messages: KafkaJsMessageLike[];
}

/** kafkajs' `RecordMetadata`: one per partition written, `baseOffset` its first record's offset. @publicApi */
export interface KafkaJsRecordMetadata {
  topicName: string;
  partition: number;
  errorCode: number;
  baseOffset: string;
}

/** A kafkajs message as our produce record (repeated header names as repeated headers). @internal */
export function fromKafkaJsMessage(m: KafkaJsMessageLike): {
  value: Buffer | string | null;
  key?: Buffer | string | null;
  partition?: number;
  timestamp?: number;
  headers?: [string, Buffer | string][];
} {
  const headers = Object.entries(m.headers ?? {}).flatMap(([name, v]) =>
    (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((one) => [name, one] as [string, Buffer | string]),
  );
  return {
    value: m.value,
    key: m.key,
    partition: m.partition,
    timestamp: m.timestamp === undefined ? undefined : Number(m.timestamp),
    headers,
  };
}

/** Delivery reports grouped as kafkajs reports them: per partition, with the lowest offset. @internal */
export function toRecordMetadata(topic: string, delivered: readonly { partition: number; offset: number }[]): KafkaJsRecordMetadata[] {
  const first = new Map<number, number>();
  for (const d of delivered) first.set(d.partition, Math.min(first.get(d.partition) ?? d.offset, d.offset));
  return [...first]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => ({ topicName: topic, partition, errorCode: 0, baseOffset: String(offset) }));
}
