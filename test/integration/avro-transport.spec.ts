import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { ClientRdKafka, ServerRdKafka } from '../../lib/index.js';
import { AvroDeserializer, AvroSerializer, SchemaRegistryClient } from '../../lib/serdes/index.js';
import { bootstrapServers } from './helpers/kafka-env.js';
import { produceRaw } from './helpers/raw-kafka-io.js';
import { schemaRegistryUrl } from './helpers/schema-registry-env.js';
import { createTopics, waitFor } from './helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = { quote: `avro-quote-${RUN}`, placed: `avro-placed-${RUN}` };
const ORDER = {
  type: 'record',
  name: 'Order',
  namespace: 'it.transport',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
};
const QUOTE = {
  type: 'record',
  name: 'Quote',
  namespace: 'it.transport',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
  ],
};
// The server reads with a newer schema: a defaulted field the producer never wrote.
const ORDER_V2 = { ...ORDER, fields: [...ORDER.fields, { name: 'currency', type: 'string', default: 'EUR' }] };

const placed: unknown[] = [];

@Controller()
class AvroController {
  @MessagePattern(T.quote)
  quote(@Payload() order: { id: string; amount: number; currency: string }) {
    return { id: order.id, total: order.currency === 'EUR' ? order.amount * 1.2 : -1 };
  }

  @EventPattern(T.placed)
  onPlaced(@Payload() order: unknown) {
    placed.push(order);
  }
}

@Module({ controllers: [AvroController] })
class AvroModule {}

describe('Avro through the transport (real broker and registry)', () => {
  let app: INestMicroservice;
  let client: ClientRdKafka;

  beforeAll(async () => {
    await createTopics(Object.values(T));
    const registry = new SchemaRegistryClient({ url: schemaRegistryUrl() });
    // Replies are Quotes; the Quote subject is registered up front so the client can decode them.
    const module = await Test.createTestingModule({ imports: [AvroModule] }).compile();
    app = module.createNestMicroservice({
      strategy: new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': `avro-transport-${RUN}` },
        valueDeserializer: new AvroDeserializer(registry, ORDER_V2),
        valueSerializer: new AvroSerializer(registry, QUOTE),
        errorPolicy: { mode: 'skip' },
      }),
    });
    await app.listen();
    client = new ClientRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      valueSerializer: new AvroSerializer(registry, ORDER),
      valueDeserializer: new AvroDeserializer(registry),
      requestTimeoutMs: 15_000,
    });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
  });

  it('hands the handler a decoded object (resolved to the reader schema) and Avro-encodes the reply', async () => {
    const reply = await firstValueFrom(client.send(T.quote, { id: 'o-1', amount: 10 }));
    expect(reply).toEqual({ id: 'o-1', total: 12 });
  });

  it('logs an undecodable record, skips it by the error policy, and keeps consuming', async () => {
    await lastValueFrom(client.emit(T.placed, { id: 'first', amount: 1 }));
    await produceRaw(T.placed, [
      { key: null, value: Buffer.from([1, 0, 0, 0, 1, 2]) },
      { key: null, value: Buffer.from([0, 0, 0]) },
    ]);
    await lastValueFrom(client.emit(T.placed, { id: 'after-poison', amount: 2 }));
    await waitFor(() => placed.length >= 2, 20_000, 'both good events');
    expect(placed).toEqual([
      { id: 'first', amount: 1, currency: 'EUR' },
      { id: 'after-poison', amount: 2, currency: 'EUR' },
    ]);
  });
});
