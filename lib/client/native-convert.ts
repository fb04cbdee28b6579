import { ErrorCode, KafkaError, fromNativeError } from '../errors/index.js';
import { Message, timestampOf, type MessageHeader } from './message.js';
import type { NativeMessage, NativeTopicPartitionOffset } from './native/index.js';
import { OFFSET_INVALID } from './offsets.js';
import { TopicPartition, type TopicPartitionLike } from './topic-partition.js';

/**
 * node-rdkafka's consumed message → Message; key, value and header values are copied byte for byte.
 * @throws TypeError when the native message does not have the shape node-rdkafka builds (see `readRecord`)
 * @internal
 */
export function messageFromNative(m: NativeMessage): Message {
  return new Message({
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: m.key === undefined || m.key === null ? null : Buffer.isBuffer(m.key) ? m.key : Buffer.from(m.key),
    value: m.value,
    headers: m.headers ? m.headers.map(headerFromNative) : null,
    timestamp: timestampOf(m.timestamp),
  });
}

/**
 * One header. node-rdkafka builds each as an object by assigning `obj[name] = valueBuffer` in C++ (common.cc,
 * `Message::ToV8Object`), so the name is any string the wire carried. A header named `__proto__` does not
 * become a property: the assignment runs Object.prototype's `__proto__` setter, which makes the value Buffer
 * the object's prototype and leaves it without an own key. So names are read as own keys, never with `for…in`
 * (which walks the inherited keys: of that Buffer, and any a library added to Object.prototype), and the
 * `__proto__` header is recovered from the prototype, value included.
 */
function headerFromNative(h: unknown, i: number): MessageHeader {
  if (typeof h !== 'object' || h === null)
    throw new TypeError(`header ${i} is a ${h === null ? 'null' : typeof h}, not a { name: value } object`);
  const names = Object.keys(h);
  if (names.length === 1) return [names[0]!, headerValue(names[0]!, (h as Record<string, unknown>)[names[0]!])];
  const proto: unknown = Object.getPrototypeOf(h);
  if (names.length === 0 && Buffer.isBuffer(proto)) return ['__proto__', proto];
  throw new TypeError(`header ${i} has ${names.length} names, expected one`);
}

function headerValue(name: string, v: unknown): Buffer | null {
  if (v === undefined || v === null) return null;
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v);
  throw new TypeError(`header "${name}" has a ${typeof v} value`);
}

/**
 * `messageFromNative` that never throws: a record that cannot be converted comes back as a Message with
 * `error` set to `_BAD_MSG` (naming topic, partition and offset and why), with its place and whatever bytes
 * could be kept, so it reaches the application like any consume error instead of escaping from node-rdkafka's
 * callback as an uncaught exception and taking the rest of its batch with it.
 * @internal
 */
export function readRecord(m: NativeMessage): Message {
  try {
    return messageFromNative(m);
  } catch (err) {
    return unreadableRecord(m, err);
  }
}

function unreadableRecord(m: NativeMessage, err: unknown): Message {
  const topic = typeof m.topic === 'string' ? m.topic : String(m.topic);
  const partition = typeof m.partition === 'number' ? m.partition : -1;
  const offset = typeof m.offset === 'number' ? m.offset : -1;
  const why = err instanceof Error ? err.message : String(err);
  return new Message({
    topic,
    partition,
    offset,
    key: Buffer.isBuffer(m.key) ? m.key : null,
    value: Buffer.isBuffer(m.value) ? m.value : null,
    timestamp: timestampOf(typeof m.timestamp === 'number' ? m.timestamp : undefined),
    error: new KafkaError(ErrorCode._BAD_MSG, `Could not read the record at ${topic}[${partition}]@${offset}: ${why}`),
  });
}

/**
 * True for a Message `readRecord` made of a record it could not convert: unlike a consume error or an
 * end-of-partition event, it stands for a record at its offset, which a consumer handles (skips, stops at)
 * like any record that failed.
 * @internal
 */
export function isUnreadableRecord(m: Message): boolean {
  return m.error !== null && m.error.code === ErrorCode._BAD_MSG && m.offset >= 0;
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
  const out: NativeTopicPartitionOffset & { metadata?: string } = {
    topic: tp.topic,
    partition: tp.partition,
    offset: tp.offset ?? OFFSET_INVALID,
  };
  if (tp.metadata) out.metadata = tp.metadata;
  return out;
}
