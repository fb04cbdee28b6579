import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { getRdKafkaServerToken, getRdKafkaTransportId, Producer, RdKafkaModule, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopics } from '../helpers/topics.js';
import { waitFor } from '../helpers/transport-topics.js';

// Two servers in one application (two clusters in production; one broker here, two groups): each handler is
// served by its own server only, so each event is handled once (the complaint of nestjs/nest#13421).

const RUN = randomUUID().slice(0, 8);
const EAST = Symbol('east');
const WEST = Symbol('west');
const T = {
  byIdEast: `multi-id-east-${RUN}`,
  byIdWest: `multi-id-west-${RUN}`,
  byNameEast: `multi-name-east-${RUN}`,
  byNameWest: `multi-name-west-${RUN}`,
  byListEast: `multi-list-east-${RUN}`,
  byListWest: `multi-list-west-${RUN}`,
};
const handled: Record<string, number> = {};
const count = (topic: string): void => {
  handled[topic] = (handled[topic] ?? 0) + 1;
};

@Controller()
class ByTransportId {
  @EventPattern(T.byIdEast, EAST) onEast(@Payload() _: unknown): void {
    count(T.byIdEast);
  }
  @EventPattern(T.byIdWest, WEST) onWest(@Payload() _: unknown): void {
    count(T.byIdWest);
  }
}

@Controller()
class ByModuleName {
  // Served by the module named 'east' (or 'west') only: a named module's server has the name's transport id.
  @EventPattern(T.byNameEast, getRdKafkaTransportId('east')) onEast(@Payload() _: unknown): void {
    count(T.byNameEast);
  }
  @EventPattern(T.byNameWest, getRdKafkaTransportId('west')) onWest(@Payload() _: unknown): void {
    count(T.byNameWest);
  }
}

@Controller()
class ByTopicList {
  // No transport id (Nest gives such handlers to every server): the servers' topic lists split them.
  @EventPattern(T.byListEast) onEast(@Payload() _: unknown): void {
    count(T.byListEast);
  }
  @EventPattern(T.byListWest) onWest(@Payload() _: unknown): void {
    count(T.byListWest);
  }
}

/** Asserts each server was assigned its own topic only, then that one event per topic is handled once. */
async function expectHandledOnce(servers: [ServerRdKafka, ServerRdKafka], topics: [string, string]): Promise<void> {
  expect(await assignedTopics(servers[0])).toEqual([topics[0]]);
  expect(await assignedTopics(servers[1])).toEqual([topics[1]]);
  await Promise.all(topics.map(produceOne));
  await waitFor(() => topics.every((t) => handled[t] === 1), 30_000, 'both events');
  // Long enough for a second subscriber's duplicate to arrive (the first came within the same fetch cycle).
  await new Promise((r) => setTimeout(r, 1500));
  expect(topics.map((t) => handled[t])).toEqual([1, 1]);
}

async function produceOne(topic: string): Promise<void> {
  const producer = new Producer({ 'bootstrap.servers': bootstrapServers() });
  await producer.connect();
  try {
    producer.produce(topic, null, Buffer.from(JSON.stringify({ topic })));
    await producer.flush(10_000);
  } finally {
    await producer.close(5000);
  }
}

/** The topics a listening server's consumer was assigned. */
async function assignedTopics(server: ServerRdKafka): Promise<string[]> {
  const [consumer] = server.unwrap<[{ assignment(): { topic: string }[] }]>();
  await waitFor(() => consumer.assignment().length > 0, 30_000, 'a partition assignment');
  return [...new Set(consumer.assignment().map((tp) => tp.topic))].sort();
}

async function startHybrid(
  module: unknown,
  servers: ServerRdKafka[] | ((app: INestApplication) => ServerRdKafka[]),
): Promise<{ app: INestApplication; servers: ServerRdKafka[] }> {
  const ref = await Test.createTestingModule({ imports: [module as never] }).compile();
  const app = ref.createNestApplication({ logger: ['error', 'warn'] });
  const list = typeof servers === 'function' ? servers(app) : servers;
  for (const strategy of list) app.connectMicroservice({ strategy });
  await app.init();
  await app.startAllMicroservices();
  return { app, servers: list };
}

describe('several ServerRdKafka in one application (real broker)', () => {
  const apps: INestApplication[] = [];
  beforeAll(() => createTopics(Object.values(T)));
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('scopes handlers by transport id: each server subscribes to its own topics, each event is handled once', async () => {
    @Module({ controllers: [ByTransportId] })
    class AppModule {}
    const client = { 'bootstrap.servers': bootstrapServers() };
    const {
      app,
      servers: [east, west],
    } = await startHybrid(AppModule, [
      new ServerRdKafka({ client, consumer: { 'group.id': `multi-east-${RUN}` }, transportId: EAST }),
      new ServerRdKafka({ client, consumer: { 'group.id': `multi-west-${RUN}` }, transportId: WEST }),
    ]);
    apps.push(app);
    expect([...east!.getHandlers().keys()]).toEqual([T.byIdEast]);
    await expectHandledOnce([east!, west!], [T.byIdEast, T.byIdWest]);
  });

  it('scopes handlers by module name: two RdKafkaModule names, handlers declared with getRdKafkaTransportId(name)', async () => {
    const client = { 'bootstrap.servers': bootstrapServers() };
    @Module({
      imports: [
        RdKafkaModule.forRoot({ name: 'east', client, consumer: { 'group.id': `multi-mod-east-${RUN}` } }),
        RdKafkaModule.forRoot({ name: 'west', client, consumer: { 'group.id': `multi-mod-west-${RUN}` } }),
      ],
      controllers: [ByModuleName],
    })
    class AppModule {}
    const {
      app,
      servers: [east, west],
    } = await startHybrid(AppModule, (a) => [
      a.get<ServerRdKafka>(getRdKafkaServerToken('east')),
      a.get<ServerRdKafka>(getRdKafkaServerToken('west')),
    ]);
    apps.push(app);
    await expectHandledOnce([east!, west!], [T.byNameEast, T.byNameWest]);
  });

  it("scopes handlers without a transport id by the topic list in each server's options", async () => {
    @Module({ controllers: [ByTopicList] })
    class AppModule {}
    const client = { 'bootstrap.servers': bootstrapServers() };
    const {
      app,
      servers: [east, west],
    } = await startHybrid(AppModule, [
      new ServerRdKafka({ client, consumer: { 'group.id': `multi-list-east-${RUN}` }, topics: [T.byListEast] }),
      new ServerRdKafka({ client, consumer: { 'group.id': `multi-list-west-${RUN}` }, topics: [/^multi-list-west-/] }),
    ]);
    apps.push(app);
    await expectHandledOnce([east!, west!], [T.byListEast, T.byListWest]);
  });
});
