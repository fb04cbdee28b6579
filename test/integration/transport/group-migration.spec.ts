import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, type MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Producer, ServerRdKafka } from '../../../lib/index.js';
import { ConsumerGroupState, ConsumerGroupTopicPartitions, RdKafkaAdminService } from '../../../lib/admin/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';
import { waitFor } from '../helpers/transport-topics.js';

// A service moves from Nest's built-in (kafkajs) transport to ServerRdKafka under a new group id: the new
// group gets the old one's committed offsets, so no record is replayed and none is skipped.

const RUN = randomUUID().slice(0, 8);
const TOPIC = `migrate-${RUN}`;
// Both transports append '-server' to the group id (Nest's postfixId).
const NEST_GROUP = `migrate-nest-${RUN}`;
const OUR_GROUP = `migrate-rd-${RUN}`;
const seen = { nest: [] as number[], ours: [] as number[] };
let side: keyof typeof seen = 'nest';

@Controller()
class OrdersController {
  @EventPattern<string>(TOPIC)
  onOrder(@Payload() order: { id: number }): void {
    seen[side].push(order.id);
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule {}

async function microservice(options: MicroserviceOptions & { logger: ['error'] }): Promise<INestMicroservice> {
  const app = (await Test.createTestingModule({ imports: [OrdersModule] }).compile()).createNestMicroservice<MicroserviceOptions>(options);
  await app.listen();
  return app;
}

describe("migration from Nest's kafkajs transport under a copied group offset (real broker)", () => {
  const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
  const producer = new Producer({ 'bootstrap.servers': bootstrapServers() });

  beforeAll(async () => {
    await createTopic(TOPIC, 2);
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await producer.close(5000);
    await admin.close();
  });

  const produce = (ids: number[]) =>
    Promise.all(ids.map((id) => producer.produceAsync(TOPIC, { value: JSON.stringify({ id }), partition: id % 2 })));

  it('the new group starts where the old one stopped: nothing replayed, nothing skipped', async () => {
    const nest = await microservice({
      transport: Transport.KAFKA,
      options: {
        client: { brokers: bootstrapServers().split(','), clientId: `migrate-${RUN}`, logLevel: 1 },
        consumer: { groupId: NEST_GROUP },
        subscribe: { fromBeginning: true },
      },
      logger: ['error'],
    });
    await produce([0, 1, 2, 3, 4, 5]);
    await waitFor(() => seen.nest.length === 6, 30_000, 'the kafkajs service handling the first records');
    await nest.close();
    const committed = await admin
      .listConsumerGroupOffsets([new ConsumerGroupTopicPartitions(`${NEST_GROUP}-server`)])
      .get(`${NEST_GROUP}-server`)!;
    expect(committed.topicPartitions!.map((tp) => tp.offset).reduce((a, b) => a + b, 0)).toBe(6);

    // Produced while no service runs: the new one must handle exactly these.
    await produce([6, 7, 8, 9]);
    const copied = await admin.copyConsumerGroupOffsets(`${NEST_GROUP}-server`, `${OUR_GROUP}-server`);
    expect(copied.topicPartitions!.map((tp) => [tp.partition, tp.offset]).sort()).toEqual([
      [0, 3],
      [1, 3],
    ]);
    // The target has offsets now: a second copy is refused instead of moving a possibly live group.
    await expect(admin.copyConsumerGroupOffsets(`${NEST_GROUP}-server`, `${OUR_GROUP}-server`)).rejects.toThrow(/already committed/);

    side = 'ours';
    const ours = await microservice({
      strategy: new ServerRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, consumer: { 'group.id': OUR_GROUP } }),
      logger: ['error'],
    });
    try {
      await waitFor(() => seen.ours.length >= 4, 30_000, 'the rdkafka service handling the new records');
      // A replay would come in the same fetches as the new records; give stragglers a moment anyway.
      await new Promise((r) => setTimeout(r, 1000));
      expect(seen.ours.sort()).toEqual([6, 7, 8, 9]);
      // Admin results as JSON (e.g. returned by an HTTP controller): group state by name.
      const described = await admin.describeConsumerGroups([`${OUR_GROUP}-server`]).get(`${OUR_GROUP}-server`)!;
      expect(described.state).toBe(ConsumerGroupState.STABLE);
      expect(JSON.parse(JSON.stringify(described))).toMatchObject({ groupId: `${OUR_GROUP}-server`, state: 'STABLE' });
    } finally {
      await ours.close();
    }
    const listed = JSON.parse(JSON.stringify(await admin.listTopics())) as { topics: Record<string, { name: string }> };
    expect(listed.topics[TOPIC]).toMatchObject({ name: TOPIC });
  });
});
