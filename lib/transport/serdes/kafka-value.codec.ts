import type { MessageHeader } from '../../client/message.js';

/**
 * Decodes one key, value or header the way Nest's `KafkaParser` does, so a handler gets the same data on our
 * transport as on Nest's: null stays null; a Buffer starting with a zero byte (Schema Registry framing) stays a
 * Buffer; anything else becomes a string, parsed as JSON only when it starts with `{` or `[` (and left a string
 * when that JSON is invalid).
 * @param value the raw bytes (or a string)
 * @param onInvalidJson called with the JSON.parse error when a `{`/`[` payload is not valid JSON
 * @returns the decoded value
 * @internal
 */
export function decodeKafkaValue(value: Buffer | string | null | undefined, onInvalidJson?: (err: Error) => void): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) && value.length > 0 && value[0] === 0) return value;
  const text = value.toString();
  const first = text.charAt(0);
  if (first !== '{' && first !== '[') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    onInvalidJson?.(err as Error);
    return text;
  }
}

/**
 * Encodes one key or value the way Nest's `KafkaRequestSerializer` does, then to bytes: plain objects and arrays
 * (and class instances without their own `toString`) as JSON, other class instances through their `toString()`,
 * numbers, booleans and bigints as their string, strings as UTF-8, Buffers unchanged, undefined and null as null.
 * @param value what the application passed
 * @returns the bytes to produce, or null
 * @internal
 */
export function encodeKafkaValue(value: unknown): Buffer | null {
  if (value === undefined || value === null) return null;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'object') {
    const plain =
      Array.isArray(value) ||
      Object.getPrototypeOf(value) === Object.prototype ||
      Object.getPrototypeOf(value) === null ||
      (value as { toString: unknown }).toString === Object.prototype.toString;
    return Buffer.from(plain ? JSON.stringify(value) : String(value));
  }
  return Buffer.from(String(value));
}

/** Headers as an application may give them: kafkajs' object form or confluent_kafka's list of pairs. @publicApi */
export type RdKafkaHeadersInit = Record<string, string | Buffer | number | null | undefined> | MessageHeader[];

/**
 * Normalizes headers to the `[name, value]` list the client layer produces. node-rdkafka sends header values
 * as C strings, so values are kept as strings where possible (a Buffer is passed as it is).
 * @internal
 */
export function toHeaderList(headers: RdKafkaHeadersInit | null | undefined): MessageHeader[] {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers.map(([k, v]) => [k, v]);
  const list: MessageHeader[] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    list.push([k, v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v))]);
  }
  return list;
}
