import type { Message } from '../../client/message.js';
import { MessageField } from '../../serdes/serialization-context.js';
import type { Deserializer } from '../../serdes/serializer.interface.js';
import { decodeKafkaValue } from './kafka-value.codec.js';
import type { TopicDeserializers } from './topic-deserializers.js';

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
  /**
   * Deserializers by topic (exact name), so one server reads an Avro, a Protobuf and a JSON topic; they win
   * over `valueDeserializer` / `keyDeserializer` for their topic.
   */
  deserializers?: Readonly<Record<string, TopicDeserializers>>;
  /** The topic whose `deserializers` apply to a topic: a retry topic's records are decoded as its source's. */
  sourceTopic?: (topic: string) => string | undefined;
  /** Deserializers a topic's handler declares (pattern extras); they win over `deserializers`. */
  handlerDeserializers?: {
    forTopic(topic: string): TopicDeserializers | undefined;
    /** Whether any handler declares some (asked once, when the first record is parsed). */
    any(): boolean;
  };
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
  private synchronous?: boolean;
  /** Per topic: the deserializers that apply (null: the JSON rules). Topics are few; handlers fixed once consuming. */
  private readonly byTopic = new Map<string, TopicDeserializers | null>();

  constructor(private readonly options: RdKafkaParserOptions = {}) {}

  /** True when no deserializer is configured anywhere: `parseSync` may be used (no promise per record). */
  get isSynchronous(): boolean {
    const o = this.options;
    this.synchronous ??=
      !o.valueDeserializer && !o.keyDeserializer && !Object.keys(o.deserializers ?? {}).length && !o.handlerDeserializers?.any();
    return this.synchronous;
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
    // The record's place rides along, so a deserializer's error names its partition and offset too.
    const ctx = { topic: message.topic, partition: message.partition, offset: message.offset, headers: message.headers };
    const serdes = this.serdesFor(message.topic);
    const value = serdes?.value
      ? await serdes.value.deserialize(raw, { ...ctx, field: MessageField.VALUE })
      : this.decodeValue(message, warn);
    const key = serdes?.key
      ? await serdes.key.deserialize(message.key, { ...ctx, field: MessageField.KEY })
      : decodeKafkaValue(message.key);
    return parsedMessage(message, key, value, decodeHeaders(message));
  }

  /** The handler's deserializers, else the topic's, else the server-wide ones, part by part. */
  private serdesFor(topic: string): TopicDeserializers | null {
    let found = this.byTopic.get(topic);
    if (found !== undefined) return found;
    const o = this.options;
    const handler = o.handlerDeserializers?.forTopic(topic);
    const name = o.sourceTopic?.(topic) ?? topic;
    const configured = o.deserializers && Object.hasOwn(o.deserializers, name) ? o.deserializers[name] : undefined;
    const value = handler?.value ?? configured?.value ?? o.valueDeserializer;
    const key = handler?.key ?? configured?.key ?? o.keyDeserializer;
    found = value || key ? { value, key } : null;
    this.byTopic.set(topic, found);
    return found;
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
