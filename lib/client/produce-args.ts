import { ErrorCode, KafkaException, type KafkaError } from '../errors/index.js';
import type { Message, MessageHeader } from './message.js';

/** Header input: a map of name to value, or confluent_kafka's list of `[name, value]` pairs (names may repeat). */
export type ProduceHeaders = Record<string, string | Buffer> | Array<[string, string | Buffer]> | MessageHeader[];

/** Per-message delivery callback: `error` is null on success. */
export type DeliveryCallback = (error: KafkaError | null, message: Message) => void;

/**
 * One message to produce, in object form (the positional form of `produce()` takes the same fields).
 * @publicApi
 */
export interface ProduceRecord {
  value?: Buffer | string | null;
  key?: Buffer | string | null;
  /** Explicit partition; -1 or undefined lets the partitioner choose. @default -1 */
  partition?: number;
  /** ms since the epoch; 0 or undefined means now. @default 0 */
  timestamp?: number;
  headers?: ProduceHeaders | null;
  /** Called with this message's delivery report instead of the global `on_delivery`. */
  onDelivery?: DeliveryCallback;
}

/** What node-rdkafka's produce() takes. @internal */
export interface NativeProduceArgs {
  value: Buffer | null;
  key: Buffer | null;
  partition: number | null;
  timestamp: number | null;
  headers: Array<Record<string, string>> | undefined;
}

function toBuffer(what: 'value' | 'key', v: Buffer | Uint8Array | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new KafkaException(ErrorCode._INVALID_ARG, `produce(): ${what} must be a Buffer, a string or null, got ${typeof v}`);
}

/** A UTF-16 surrogate without its pair (a well-formed pair is one code point here, not `Cs`). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * node-rdkafka passes produced header names and values through UTF-8 C strings: what is not valid UTF-8 (bytes,
 * or a string's lone surrogate) is replaced and a NUL ends the text. Rather than let a header arrive altered,
 * such names and values are refused.
 */
function headerValue(name: string, v: unknown): string {
  if (typeof v === 'string') {
    if (v.includes('\0')) throw headerError(name, 'contains a NUL character');
    if (LONE_SURROGATE.test(v)) throw headerError(name, 'is not valid UTF-16 (a lone surrogate)');
    return v;
  }
  if (Buffer.isBuffer(v)) {
    const s = v.toString('utf8');
    if (!Buffer.from(s, 'utf8').equals(v)) throw headerError(name, 'is not valid UTF-8');
    if (s.includes('\0')) throw headerError(name, 'contains a NUL byte');
    return s;
  }
  throw headerError(name, v === null ? 'is null' : `is a ${typeof v}`);
}

function headerError(name: string, what: string): KafkaException {
  return new KafkaException(
    ErrorCode._INVALID_ARG,
    `produce(): header ${JSON.stringify(name)} ${what}; node-rdkafka 3.6 can only produce header names and values that are UTF-8 text without NUL`,
  );
}

function headerName(name: unknown): string {
  if (typeof name !== 'string') throw new KafkaException(ErrorCode._INVALID_ARG, 'produce(): header names must be strings');
  if (name.includes('\0')) throw headerError(name, 'has a NUL character in its name');
  if (LONE_SURROGATE.test(name)) throw headerError(name, 'has a lone surrogate in its name');
  return name;
}

function encodeHeaders(h: ProduceHeaders | null | undefined): Array<Record<string, string>> | undefined {
  if (!h) return undefined;
  const pairs = Array.isArray(h) ? h : Object.entries(h);
  if (pairs.length === 0) return undefined;
  // A computed key makes an own property even for `__proto__`, which node-rdkafka reads as the name.
  return pairs.map(([name, value]) => ({ [headerName(name)]: headerValue(name, value) }));
}

/** Validates and converts one record for node-rdkafka. @throws KafkaException `_INVALID_ARG` @internal */
export function toNativeProduceArgs(topic: string, r: ProduceRecord): NativeProduceArgs {
  if (typeof topic !== 'string' || topic.length === 0)
    throw new KafkaException(ErrorCode._INVALID_ARG, 'produce(): topic must be a non-empty string');
  // node-rdkafka passes the name as a C string: a NUL would cut it short and the message go to another topic.
  if (topic.includes('\0'))
    throw new KafkaException(ErrorCode._INVALID_ARG, `produce(): topic ${JSON.stringify(topic)} contains a NUL character`);
  const partition = r.partition ?? -1;
  if (!Number.isInteger(partition) || partition < -1)
    throw new KafkaException(ErrorCode._INVALID_ARG, `produce(): partition must be an integer >= -1, got ${String(partition)}`);
  const ts = r.timestamp ?? 0;
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0)
    throw new KafkaException(ErrorCode._INVALID_ARG, `produce(): timestamp must be ms since the epoch, got ${String(ts)}`);
  if (r.onDelivery !== undefined && typeof r.onDelivery !== 'function')
    throw new KafkaException(ErrorCode._INVALID_ARG, 'produce(): onDelivery must be a function');
  return {
    value: toBuffer('value', r.value),
    key: toBuffer('key', r.key),
    partition: partition === -1 ? null : partition,
    timestamp: ts === 0 ? null : ts,
    headers: encodeHeaders(r.headers),
  };
}
