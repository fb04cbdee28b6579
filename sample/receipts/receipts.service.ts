import { Injectable } from '@nestjs/common';
import { RdKafkaProducerService } from 'nest-rdkafka';
import { AvroDeserializer, AvroSerializer, MessageField, SchemaRegistryClient } from 'nest-rdkafka/serdes';
import { TOPICS } from '../topics.js';
import { RECEIPT_SCHEMA, type Receipt } from './receipt.schema.js';

/**
 * Receipts travel as Avro in the Confluent wire format (magic byte, schema id, Avro body): any language's
 * Schema Registry client can read them. The rest of the sample stays JSON, so this topic is encoded and decoded
 * here rather than by the transport's `valueSerializer` (which would apply to every topic of the server).
 */
@Injectable()
export class ReceiptsService {
  private readonly registry = new SchemaRegistryClient({ url: process.env.SCHEMA_REGISTRY_URL! });
  private readonly serializer = new AvroSerializer<Receipt>(this.registry, RECEIPT_SCHEMA);
  private readonly deserializer = new AvroDeserializer<Receipt>(this.registry);
  private readonly received: Array<Receipt & { schemaId: number }> = [];

  constructor(private readonly producer: RdKafkaProducerService) {}

  /** Encodes and produces a receipt (keyed by order, so one order's receipts stay in order). */
  async publish(receipt: Receipt): Promise<void> {
    const value = await this.serializer.serialize(receipt, { topic: TOPICS.receipts, field: MessageField.VALUE });
    await this.producer.emit(TOPICS.receipts, { key: receipt.orderId, value });
  }

  /** Decodes a consumed receipt; the transport hands over 0x00-framed values as Buffers, as Nest's parser does. */
  async accept(bytes: Buffer): Promise<Receipt> {
    const receipt = (await this.deserializer.deserialize(bytes, { topic: TOPICS.receipts, field: MessageField.VALUE }))!;
    this.received.push({ ...receipt, schemaId: bytes.readUInt32BE(1) });
    return receipt;
  }

  list(): Array<Receipt & { schemaId: number }> {
    return [...this.received];
  }
}
