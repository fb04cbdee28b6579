import type { MessageHeader } from '../../client/message.js';
import { MessageField } from '../../serdes/serialization-context.js';
import type { Serializer } from '../../serdes/serializer.interface.js';
import { encodeKafkaValue, type RdKafkaHeadersInit, toHeaderList } from './kafka-value.codec.js';

/**
 * A record ready to produce: what requests, replies and events become.
 * @publicApi
 */
export interface OutgoingRecord {
  value: Buffer | null;
  key: Buffer | null;
  headers: MessageHeader[];
  /** Explicit partition; undefined lets the partitioner choose. */
  partition?: number;
  /** ms since the epoch; undefined lets the producer set it. */
  timestamp?: number;
}

/**
 * What an application may pass as data to `send()`/`emit()` to control the record, as with Nest's Kafka
 * transport: an object with `key` or `value` is taken as a record, anything else is the value itself.
 * @publicApi
 */
export interface RdKafkaRecordInit<T = unknown> {
  value?: T;
  key?: unknown;
  headers?: RdKafkaHeadersInit;
  partition?: number;
  /** ms since the epoch (a numeric string is accepted, as kafkajs takes). */
  timestamp?: number | string;
}

/**
 * Shapes outgoing data into a record. Replace it through the `serializer` option to control the whole record.
 * @publicApi
 */
export interface RdKafkaRecordSerializer {
  serialize(data: unknown, options: { pattern: string }): OutgoingRecord | Promise<OutgoingRecord>;
}

/**
 * The serializers for one topic's keys and values (a part left out uses the default one, or the JSON rules).
 * @publicApi
 */
export interface TopicSerializers {
  value?: Serializer;
  key?: Serializer;
}

/** True when `data` is meant as a record (`{ key?, value?, headers?, ... }`), Nest's rule. @internal */
export function isRecordInit(data: unknown): data is RdKafkaRecordInit {
  return typeof data === 'object' && data !== null && !Buffer.isBuffer(data) && ('key' in data || 'value' in data);
}

/**
 * The default record serializer: Nest's `KafkaRequestSerializer` rules (see `encodeKafkaValue`), producing
 * bytes. A byte-level value or key `Serializer` (e.g. Avro) may replace the JSON encoding.
 * @publicApi
 */
export class RdKafkaRequestSerializer implements RdKafkaRecordSerializer {
  /**
   * @param valueSerializer encodes values instead of the JSON rules
   * @param keySerializer encodes keys instead of the JSON rules
   * @param byTopic serializers by topic (exact name), winning over the two above for their topic
   */
  constructor(
    private readonly valueSerializer?: Serializer,
    private readonly keySerializer?: Serializer,
    private readonly byTopic: Readonly<Record<string, TopicSerializers>> = {},
  ) {}

  /**
   * @param data the application's data or a record init
   * @param options the pattern, i.e. the topic, given to byte-level serializers
   * @returns the record
   * @throws whatever a byte-level serializer throws
   */
  async serialize(data: unknown, options: { pattern: string }): Promise<OutgoingRecord> {
    const init: RdKafkaRecordInit = isRecordInit(data) ? data : { value: data };
    const headers = toHeaderList(init.headers);
    const ctx = { topic: options.pattern, headers };
    const topic = Object.hasOwn(this.byTopic, options.pattern) ? this.byTopic[options.pattern] : undefined;
    const valueSerializer = topic?.value ?? this.valueSerializer;
    const keySerializer = topic?.key ?? this.keySerializer;
    const value = valueSerializer
      ? await valueSerializer.serialize(init.value, { ...ctx, field: MessageField.VALUE })
      : encodeKafkaValue(init.value);
    const key =
      init.key === undefined || init.key === null
        ? null
        : keySerializer
          ? await keySerializer.serialize(init.key, { ...ctx, field: MessageField.KEY })
          : encodeKafkaValue(init.key);
    const timestamp = init.timestamp === undefined ? undefined : Number(init.timestamp);
    return { value, key, headers, partition: init.partition, timestamp };
  }
}
