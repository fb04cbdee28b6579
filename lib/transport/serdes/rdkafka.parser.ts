import type { Message } from '../../client/message.js';
import { MessageField } from '../../serdes/serialization-context.js';
import type { Deserializer } from '../../serdes/serializer.interface.js';
import { decodeKafkaValue } from './kafka-value.codec.js';

/**
 * A consumed record as handlers see it through `RdKafkaContext.getMessage()`: Nest's parsed `KafkaMessage`
 * shape (decoded key, value and headers by name), with librdkafka's numeric offset and timestamp.
 * @publicApi
 */
export interface RdKafkaParsedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Decoded like Nest's KafkaParser (or by the key deserializer). */
  readonly key: unknown;
  /** Decoded like Nest's KafkaParser (or by the value deserializer); the raw Buffer with `keepBinary`. */
  readonly value: unknown;
  /** Header values decoded like values; a name that repeats gives an array. */
  readonly headers: Record<string, unknown>;
  /** ms since the epoch, -1 when unknown. */
  readonly timestamp: number;
  /** The value's size in bytes. */
  readonly size: number;
}

/** How the parser decodes records. @publicApi */
export interface RdKafkaParserOptions {
  /** Leave values as Buffers (Nest's `parser.keepBinary`). @default false */
  keepBinary?: boolean;
  /** Decodes values instead of the JSON rules (e.g. Avro). Its errors become `ValueDeserializationError`s. */
  valueDeserializer?: Deserializer;
  /** Decodes keys instead of the JSON rules. */
  keyDeserializer?: Deserializer;
}

/** Something the parser noticed about a record but did not fail on (logged by the server with the record's place). */
export type ParseWarning = 'invalid-json' | 'empty-value';

/** Receives what is odd about a record (the server logs it with the record's place). */
export type ParseWarningSink = (w: ParseWarning, message: Message, detail?: string) => void;

const ignore: ParseWarningSink = () => undefined;

/**
 * Turns a client-layer `Message` into an `RdKafkaParsedMessage` with the same decoding rules as Nest's
 * `KafkaParser`, so handlers written for Nest's Kafka transport receive identical data.
 * @internal
 */
export class RdKafkaParser {
  /** True when no deserializer is configured: `parseSync` may be used (no promise per record). */
  readonly isSynchronous: boolean;

  constructor(private readonly options: RdKafkaParserOptions = {}) {
    this.isSynchronous = !options.valueDeserializer && !options.keyDeserializer;
  }

  /**
   * @param message the consumed record
   * @param warn receives what is odd about the record (invalid JSON, empty value)
   * @returns the parsed record
   * @throws whatever a configured deserializer throws
   */
  async parse(message: Message, warn: ParseWarningSink = ignore): Promise<RdKafkaParsedMessage> {
    if (this.isSynchronous) return this.parseSync(message, warn);
    const raw = message.value;
    if (raw === null || raw.length === 0) warn('empty-value', message);
    const ctx = { topic: message.topic, headers: message.headers };
    const value = this.options.valueDeserializer
      ? await this.options.valueDeserializer.deserialize(raw, { ...ctx, field: MessageField.VALUE })
      : this.decodeValue(message, warn);
    const key = this.options.keyDeserializer
      ? await this.options.keyDeserializer.deserialize(message.key, { ...ctx, field: MessageField.KEY })
      : decodeKafkaValue(message.key);
    return parsedMessage(message, key, value, decodeHeaders(message));
  }

  /** `parse` without deserializers (see `isSynchronous`). */
  parseSync(message: Message, warn: ParseWarningSink = ignore): RdKafkaParsedMessage {
    const raw = message.value;
    // node-rdkafka delivers a zero-length value as null: both are reported (handlers then get the whole message).
    if (raw === null || raw.length === 0) warn('empty-value', message);
    return parsedMessage(message, decodeKafkaValue(message.key), this.decodeValue(message, warn), decodeHeaders(message));
  }

  private decodeValue(message: Message, warn: ParseWarningSink): unknown {
    if (this.options.keepBinary) return message.value;
    return decodeKafkaValue(message.value, (e) => warn('invalid-json', message, e.message));
  }
}

function parsedMessage(message: Message, key: unknown, value: unknown, headers: Record<string, unknown>): RdKafkaParsedMessage {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key,
    value,
    headers,
    timestamp: message.timestamp[1],
    size: message.value?.length ?? 0,
  };
}

/**
 * Headers by name, as Nest's KafkaParser gives them; a name that repeats gathers its values in an array.
 * Linear in the number of headers (a record can carry 100,000 of one name). Names are arbitrary wire bytes:
 * each becomes an own property of an ordinary object (so `headers.hasOwnProperty`, spreading and
 * `JSON.stringify` behave as on Nest's), including `__proto__`, which a plain assignment would turn into a
 * prototype change, and names like `constructor` or `toString`, which are only looked up as own properties
 * here so an inherited member is never taken for a header seen before.
 */
function decodeHeaders(message: Message): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  const list = message.headers;
  if (list === null) return headers;
  // Names whose value is an array built here, told apart from a header whose decoded JSON value is an array.
  let gathered: Set<string> | undefined;
  for (const [name, raw] of list) {
    const value = decodeKafkaValue(raw);
    if (!Object.hasOwn(headers, name)) setOwn(headers, name, value);
    else if (gathered?.has(name)) (headers[name] as unknown[]).push(value);
    else {
      (gathered ??= new Set()).add(name);
      setOwn(headers, name, [headers[name], value]);
    }
  }
  return headers;
}

function setOwn(headers: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(headers, name, { value, writable: true, enumerable: true, configurable: true });
  else headers[name] = value;
}
