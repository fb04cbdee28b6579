import type { Message, MessageHeader } from '../../../client/message.js';

/**
 * Headers of the records the server writes to retry and dead-letter topics. Values are UTF-8 text (numbers in
 * decimal): node-rdkafka 3.6 produces header values as text only. The `original-*` headers name the record as
 * it was first consumed and are kept unchanged through every retry topic.
 * @publicApi
 */
export const DeadLetterHeaders = Object.freeze({
  /** The topic the record was first consumed from. */
  ORIGINAL_TOPIC: 'rdkafka-original-topic',
  /** Its partition there, decimal. */
  ORIGINAL_PARTITION: 'rdkafka-original-partition',
  /** Its offset there, decimal. */
  ORIGINAL_OFFSET: 'rdkafka-original-offset',
  /** Its timestamp there, ms since the epoch, decimal (absent when the record had none). */
  ORIGINAL_TIMESTAMP: 'rdkafka-original-timestamp',
  /** The consumer group that failed to handle it. */
  ORIGINAL_GROUP: 'rdkafka-original-consumer-group',
  /** The error's class (`name`, e.g. `ValueDeserializationError`). */
  ERROR_CLASS: 'rdkafka-error-class',
  /** The error's message, cut to `maxErrorMessageBytes`. */
  ERROR_MESSAGE: 'rdkafka-error-message',
  /** What failed: `handler`, `undecodable` (bad bytes or a deserializer), `unreadable` or `dispatch`. */
  FAILURE: 'rdkafka-failure',
  /** Handler attempts so far, all topics together, decimal. */
  ATTEMPTS: 'rdkafka-attempts',
  /** Retry topics only: when the record is due, ms since the epoch, decimal. */
  RETRY_DUE_AT: 'rdkafka-retry-due-at',
  /**
   * Prefix of an original header whose value is not UTF-8 text (or holds a NUL) and so cannot be produced as it
   * is: it is carried base64-encoded under `rdkafka-base64.<name>` instead, never altered silently.
   */
  BASE64_PREFIX: 'rdkafka-base64.',
} as const);

/** What failed about a record, as `rdkafka-failure` says. @publicApi */
export type FailureKind = 'handler' | 'undecodable' | 'unreadable' | 'dispatch';

const OURS = new Set<string>(Object.values(DeadLetterHeaders).filter((h) => !h.endsWith('.')));
const ORIGINALS = new Set<string>([
  DeadLetterHeaders.ORIGINAL_TOPIC,
  DeadLetterHeaders.ORIGINAL_PARTITION,
  DeadLetterHeaders.ORIGINAL_OFFSET,
  DeadLetterHeaders.ORIGINAL_TIMESTAMP,
  DeadLetterHeaders.ORIGINAL_GROUP,
]);

/** @internal */
export interface FailureFacts {
  failure: FailureKind;
  error: unknown;
  /** Handler attempts so far, all topics together. */
  attempts: number;
  groupId: string;
  maxErrorMessageBytes: number;
  /** The record comes from one of our retry topics: its `original-*` headers are kept. */
  fromRetryTopic: boolean;
  /** Set for a retry topic's record: when it is due. */
  dueAt?: number;
}

/**
 * The headers of a record forwarded to a retry or dead-letter topic: the record's own headers (ours replaced,
 * values that cannot be produced carried base64), then what happened.
 * @internal
 */
export function failureHeaders(raw: Message, f: FailureFacts): MessageHeader[] {
  const out: MessageHeader[] = [];
  const kept = new Set<string>();
  for (const [name, value] of raw.headers ?? []) {
    if (OURS.has(name)) {
      if (!(f.fromRetryTopic && ORIGINALS.has(name))) continue;
      kept.add(name);
    }
    if (value === null || producible(value)) out.push([name, value ?? Buffer.alloc(0)]);
    else out.push([`${DeadLetterHeaders.BASE64_PREFIX}${name}`, Buffer.from(value.toString('base64'))]);
  }
  const add = (name: string, value: string): void => void out.push([name, Buffer.from(value)]);
  const original = (name: string, value: string): void => {
    if (!kept.has(name)) add(name, value);
  };
  original(DeadLetterHeaders.ORIGINAL_TOPIC, raw.topic);
  original(DeadLetterHeaders.ORIGINAL_PARTITION, String(raw.partition));
  original(DeadLetterHeaders.ORIGINAL_OFFSET, String(raw.offset));
  if (raw.timestamp[1] >= 0) original(DeadLetterHeaders.ORIGINAL_TIMESTAMP, String(raw.timestamp[1]));
  original(DeadLetterHeaders.ORIGINAL_GROUP, f.groupId);
  add(DeadLetterHeaders.ERROR_CLASS, textOnly(errorClass(f.error)));
  add(DeadLetterHeaders.ERROR_MESSAGE, cut(textOnly(errorMessage(f.error)), f.maxErrorMessageBytes));
  add(DeadLetterHeaders.FAILURE, f.failure);
  add(DeadLetterHeaders.ATTEMPTS, String(f.attempts));
  if (f.dueAt !== undefined) add(DeadLetterHeaders.RETRY_DUE_AT, String(f.dueAt));
  return out;
}

/** A decimal header of ours, or undefined when absent or not a number. @internal */
export function numericHeader(raw: Message, name: string): number | undefined {
  const v = raw.header(name);
  if (!v || v.length === 0) return undefined;
  const n = Number(v.toString('latin1'));
  return Number.isFinite(n) ? n : undefined;
}

/** Whether node-rdkafka can produce these bytes as they are (UTF-8 text without NUL; see produce-args.ts). */
function producible(v: Buffer): boolean {
  if (v.includes(0)) return false;
  return Buffer.from(v.toString('utf8'), 'utf8').equals(v);
}

function errorClass(err: unknown): string {
  if (err instanceof Error) return err.name || err.constructor.name;
  return err === null ? 'null' : typeof err;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** Our own text as a header value: NULs and lone surrogates replaced (the producer refuses them). */
function textOnly(s: string): string {
  return s.replaceAll('\0', '\uFFFD').replace(/\p{Cs}/gu, '\uFFFD');
}

/** Cuts `s` to at most `max` UTF-8 bytes, on a character boundary, marking the cut with '…'. */
function cut(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  const bytes = Buffer.from(s).subarray(0, Math.max(0, max - 3));
  // A character split by the cut decodes as U+FFFD: drop it.
  return `${bytes.toString('utf8').replace(/\uFFFD$/u, '')}…`;
}
