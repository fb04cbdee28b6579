import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ServerRdKafka } from '../../../lib/index.js';
import {
  AvroDeserializer,
  AvroSerializer,
  JsonSchemaDeserializer,
  JsonSchemaSerializer,
  ProtobufDeserializer,
  ProtobufSerializer,
  SchemaRegistryClient,
  SerializingProducer,
  type Serializer,
} from '../../../lib/serdes/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { schemaRegistryUrl } from '../helpers/schema-registry-env.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = { avro: `orders-avro-${RUN}`, proto: `payments-proto-${RUN}`, json: `readings-json-${RUN}`, plain: `plain-${RUN}` };
const AVRO = { type: 'record', name: 'Order', namespace: 'it.transport', fields: [{ name: 'id', type: 'long' }] };
const PROTO = 'syntax = "proto3"; package it.transport; message Payment { uint64 cents = 1; string who = 2; }';
const JSON_SCHEMA = { title: 'Reading', type: 'object', properties: { v: { type: 'integer' } }, required: ['v'] };
const seen: Record<string, unknown[]> = { avro: [], proto: [], json: [], plain: [] };
let registry: SchemaRegistryClient;

@Controller()
class MixedController {
  @EventPattern(T.avro) avro(@Payload() v: unknown): void {
    seen.avro.push(v);
  }
  @EventPattern(T.proto) proto(@Payload() v: unknown): void {
    seen.proto.push(v);
  }
  // A handler may bring its own deserializer in the pattern's extras.
  @EventPattern(T.json, {
    deserializer: { deserialize: (d: Buffer | null, ctx: never) => new JsonSchemaDeserializer(registry).deserialize(d, ctx) },
  })
  json(@Payload() v: unknown): void {
    seen.json.push(v);
  }
  @EventPattern(T.plain) plain(@Payload() v: unknown): void {
    seen.plain.push(v);
  }
}

@Module({ controllers: [MixedController] })
class MixedModule {}

describe('ServerRdKafka with deserializers per topic: one service reads Avro, Protobuf, JSON Schema and plain JSON topics (real broker and registry)', () => {
  let app: INestMicroservice;
  const logger = new CaptureLogger();

  beforeAll(async () => {
    registry = new SchemaRegistryClient({ url: schemaRegistryUrl() });
    await createTopics(Object.values(T));
    app = await listeningMicroservice(
      MixedModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': `mixed-${RUN}` },
        errorPolicy: { mode: 'skip' },
        logger,
        deserializers: { [T.avro]: { value: new AvroDeserializer(registry) }, [T.proto]: { value: new ProtobufDeserializer(registry) } },
      }),
      false,
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  async function produce(topic: string, serializer: Serializer | undefined, values: unknown[]): Promise<void> {
    const producer = new SerializingProducer({
      'bootstrap.servers': bootstrapServers(),
      ...(serializer ? { 'value.serializer': serializer } : {}),
    });
    await producer.connect();
    try {
      for (const value of values) await producer.produceAsync(topic, { value });
    } finally {
      await producer.close();
    }
  }

  it('decodes each topic with its own deserializer, values exact (longs beyond 2^53 as BigInt)', async () => {
    await produce(T.avro, new AvroSerializer(registry, AVRO), [{ id: 2n ** 62n }, { id: 7 }]);
    await produce(T.proto, new ProtobufSerializer(registry, PROTO), [{ cents: 2n ** 64n - 1n, who: '😀' }]);
    await produce(T.json, new JsonSchemaSerializer(registry, JSON_SCHEMA), [{ v: -(2n ** 63n) }]);
    await produce(T.plain, undefined, [JSON.stringify({ plain: true })]);
    await waitFor(
      () => seen.avro.length === 2 && seen.proto.length === 1 && seen.json.length === 1 && seen.plain.length === 1,
      30_000,
      'all four topics',
    );
    expect(seen).toEqual({
      avro: [{ id: 2n ** 62n }, { id: 7 }],
      proto: [{ cents: 2n ** 64n - 1n, who: '😀' }],
      json: [{ v: -(2n ** 63n) }],
      plain: [{ plain: true }],
    });
  });

  it("skips a record the topic's deserializer cannot decode by the error policy, logging topic, partition, offset and schema id, and reads on", async () => {
    // A JSON Schema framed record on the Protobuf topic, then a good one.
    const poison = (await new JsonSchemaSerializer(registry, JSON_SCHEMA).serialize({ v: 1 }, { topic: T.proto, field: 'value' }))!;
    const id = poison.readUInt32BE(1);
    await produce(T.proto, undefined, [poison]);
    await produce(T.proto, new ProtobufSerializer(registry, PROTO), [{ cents: 1n, who: 'after' }]);
    await waitFor(() => seen.proto.length === 2, 30_000, 'the record after the poison one');
    expect(seen.proto[1]).toEqual({ cents: 1n, who: 'after' });
    const lines = logger.of('error', 'ServerRdKafka').map((l) => l.message);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^Could not decode ${T.proto}\\[0\\]@1 .*schema id ${id}`))]);
  });
});
