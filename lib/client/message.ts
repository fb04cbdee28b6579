import type { KafkaError } from '../errors/index.js';
import { TIMESTAMP_CREATE_TIME, TIMESTAMP_NOT_AVAILABLE, type TimestampType } from './offsets.js';

/**
 * A header as confluent_kafka gives it: a name and the value's bytes. Any name is kept (`__proto__`, empty, …),
 * but consumed names pass through node-rdkafka 3.6 as UTF-8 C strings: bytes that are not UTF-8 read as U+FFFD
 * and a NUL ends the name. A null value on the wire is read as an empty Buffer (node-rdkafka copies values by
 * length only); null is for headers an application builds.
 */
export type MessageHeader = [key: string, value: Buffer | null];

/** What a Message is built from. */
export interface MessageInit {
  topic: string;
  partition: number;
  offset: number;
  key?: Buffer | null;
  value?: Buffer | null;
  headers?: MessageHeader[] | null;
  /** [type, ms since the epoch] */
  timestamp?: [TimestampType, number];
  error?: KafkaError | null;
  /** Delivery reports: ms from produce() to the report. */
  latency?: number | null;
  leaderEpoch?: number | null;
  /** The opaque value given to produce(), on delivery reports. @internal */
  opaque?: unknown;
}

/**
 * A consumed message, a delivery report, or an event such as end of partition (`error` set), as
 * confluent_kafka's `Message`. Keys, values and header values are Buffers, byte for byte.
 * @publicApi
 */
export class Message {
  private _topic: string;
  private _key: Buffer | null;
  private _value: Buffer | null;
  private _headers: MessageHeader[] | null;
  private _error: KafkaError | null;
  readonly partition: number;
  readonly offset: number;
  /** `[timestampType, ms]`: `[TIMESTAMP_NOT_AVAILABLE, -1]` when there is none. */
  readonly timestamp: [TimestampType, number];
  /** Delivery reports only: ms between produce() and the report; null elsewhere. */
  readonly latency: number | null;
  readonly leaderEpoch: number | null;
  /** @internal */
  readonly opaque: unknown;

  constructor(init: MessageInit) {
    this._topic = init.topic;
    this.partition = init.partition;
    this.offset = init.offset;
    this._key = init.key ?? null;
    this._value = init.value ?? null;
    this._headers = init.headers ?? null;
    this.timestamp = init.timestamp ?? [TIMESTAMP_NOT_AVAILABLE, -1];
    this._error = init.error ?? null;
    this.latency = init.latency ?? null;
    this.leaderEpoch = init.leaderEpoch ?? null;
    this.opaque = init.opaque;
  }

  get topic(): string {
    return this._topic;
  }
  get key(): Buffer | null {
    return this._key;
  }
  get value(): Buffer | null {
    return this._value;
  }
  /** Headers in the order they were sent; a name may repeat. Null when the message had none. */
  get headers(): MessageHeader[] | null {
    return this._headers;
  }
  /** Set on error events (e.g. `_PARTITION_EOF`) and failed delivery reports; null otherwise. */
  get error(): KafkaError | null {
    return this._error;
  }
  /** The value's length in bytes (confluent_kafka's `len(msg)`). */
  get length(): number {
    return this._value?.length ?? 0;
  }

  // Setters as confluent_kafka's set_*: serializers and interceptors rewrite messages in place.
  setTopic(topic: string): this {
    this._topic = topic;
    return this;
  }
  setKey(key: Buffer | null): this {
    this._key = key;
    return this;
  }
  setValue(value: Buffer | null): this {
    this._value = value;
    return this;
  }
  setHeaders(headers: MessageHeader[] | null): this {
    this._headers = headers;
    return this;
  }
  setError(error: KafkaError | null): this {
    this._error = error;
    return this;
  }

  /** The first value of a header, or undefined (null for a null value). */
  header(name: string): Buffer | null | undefined {
    return this._headers?.find(([k]) => k === name)?.[1];
  }

  toString(): string {
    return `Message{topic=${this._topic},partition=${this.partition},offset=${this.offset}${this._error ? `,error=${this._error.toString()}` : ''}}`;
  }
}

/** node-rdkafka reports a timestamp without its type; -1 means none. @internal */
export function timestampOf(ms: number | undefined): [TimestampType, number] {
  return ms === undefined || ms < 0 ? [TIMESTAMP_NOT_AVAILABLE, -1] : [TIMESTAMP_CREATE_TIME, ms];
}
