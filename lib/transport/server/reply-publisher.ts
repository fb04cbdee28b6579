import type { WritePacket } from '@nestjs/microservices';
import type { Message } from '../../client/message.js';
import type { Producer } from '../../client/producer.js';
import { DISPOSED_HEADER_VALUE, KafkaHeaders } from '../kafka-headers.enum.js';
import type { RdKafkaRecordSerializer } from '../serdes/rdkafka-request.serializer.js';
import { produceWithBackpressure } from '../produce-with-backpressure.js';

/** Where the replies of one request go. @internal */
export interface ReplyAddress {
  readonly topic: string;
  /** The `kafka_replyPartition` header, a decimal string; undefined lets the partitioner choose. */
  readonly partition: unknown;
  readonly correlationId: string;
}

/**
 * Writes the replies of a request the way Nest's `ServerKafka` does: one record per packet to the reply topic
 * and partition, `kafka_correlationId` on each, `kafka_nest-err` (JSON for objects, the record's value null)
 * on an error, `kafka_nest-is-disposed` on the last.
 * @internal
 */
export class ReplyPublisher {
  constructor(
    private readonly producer: () => Producer,
    private readonly serializer: RdKafkaRecordSerializer,
  ) {}

  /**
   * Produces one reply packet and waits for its delivery.
   * @throws KafkaException when the reply cannot be delivered
   */
  async publish(packet: WritePacket, to: ReplyAddress): Promise<Message> {
    const record = await this.serializer.serialize(packet.response, { pattern: to.topic });
    const headers = [...record.headers];
    headers.push([KafkaHeaders.CORRELATION_ID, Buffer.from(to.correlationId)]);
    if (packet.err !== undefined && packet.err !== null) {
      headers.push([KafkaHeaders.NEST_ERR, Buffer.from(errorText(packet.err))]);
    }
    if (packet.isDisposed) headers.push([KafkaHeaders.NEST_IS_DISPOSED, Buffer.from(DISPOSED_HEADER_VALUE)]);
    const partition = parseReplyPartition(to.partition) ?? record.partition;
    return produceWithBackpressure(this.producer(), to.topic, { value: record.value, key: record.key, headers, partition, timestamp: record.timestamp });
  }
}

/** Nest: objects as JSON, anything else as its string. */
function errorText(err: unknown): string {
  if (typeof err === 'object') {
    if (err instanceof Error) return JSON.stringify({ status: 'error', message: err.message });
    return JSON.stringify(err);
  }
  return String(err);
}

/** `parseFloat` as Nest does; anything that is not a partition number lets the partitioner choose. */
function parseReplyPartition(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const n = parseFloat(String(raw));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
