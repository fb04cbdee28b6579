import { fromNativeError } from '../errors/index.js';
import { Message, timestampOf, type MessageHeader } from './message.js';
import type { NativeMessage, NativeTopicPartitionOffset } from './native/index.js';
import { OFFSET_INVALID } from './offsets.js';
import { TopicPartition, type TopicPartitionLike } from './topic-partition.js';

/** node-rdkafka's consumed message → Message; header values are copied byte for byte. @internal */
export function messageFromNative(m: NativeMessage): Message {
  let headers: MessageHeader[] | null = null;
  if (m.headers) {
    headers = [];
    for (const h of m.headers) {
      for (const k in h) {
        const v = h[k];
        headers.push([k, v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v)]);
      }
    }
  }
  return new Message({
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: m.key === undefined || m.key === null ? null : Buffer.isBuffer(m.key) ? m.key : Buffer.from(m.key),
    value: m.value,
    headers,
    timestamp: timestampOf(m.timestamp),
  });
}

/** node-rdkafka's topic-partition(-offset) → TopicPartition, with its per-partition error if any. @internal */
export function topicPartitionFromNative(tp: NativeTopicPartitionOffset & { error?: unknown; metadata?: string | null }): TopicPartition {
  return new TopicPartition(tp.topic, tp.partition, tp.offset ?? OFFSET_INVALID, {
    metadata: tp.metadata ?? null,
    error: tp.error ? fromNativeError(tp.error) : null,
  });
}

/** TopicPartition → what node-rdkafka takes. @internal */
export function toNativeTopicPartition(tp: TopicPartitionLike): NativeTopicPartitionOffset {
  const out: NativeTopicPartitionOffset & { metadata?: string } = { topic: tp.topic, partition: tp.partition, offset: tp.offset ?? OFFSET_INVALID };
  if (tp.metadata) out.metadata = tp.metadata;
  return out;
}
