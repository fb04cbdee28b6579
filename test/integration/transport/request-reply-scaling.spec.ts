import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { ClientRdKafka, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopics } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const TOPIC = `scale-${RUN}`;
const PER_CLIENT = 60;

@Controller()
class ScaleController {
  @MessagePattern(TOPIC)
  async handle(@Payload() d: { id: string; client: number }) {
    await new Promise((r) => setTimeout(r, 5));
    return { id: d.id, client: d.client };
  }
}

@Module({ controllers: [ScaleController] })
class ScaleModule {}

async function startServer(): Promise<INestMicroservice> {
  const app = (await Test.createTestingModule({ imports: [ScaleModule] }).compile()).createNestMicroservice({
    strategy: new ServerRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, consumer: { 'group.id': `scale-${RUN}` }, concurrency: 4 }),
    logger: ['error'],
  });
  await app.listen();
  return app;
}

describe('request-reply with 3 clients and 2 servers through a rebalance (real broker)', () => {
  const servers: INestMicroservice[] = [];
  const clients: ClientRdKafka[] = [];

  beforeAll(async () => {
    await createTopics([TOPIC], 4);
    await createTopics([`${TOPIC}.reply`], 2);
    servers.push(await startServer(), await startServer());
    for (let i = 0; i < 3; i++) {
      const c = new ClientRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, requestTimeoutMs: 30_000 });
      c.subscribeToResponseOf(TOPIC);
      await c.connect();
      clients.push(c);
    }
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled(servers.map((s) => s.close()));
  });

  it('matches every reply to its request while a server joins and another leaves', async () => {
    const sent: Promise<{ expected: string; got: { id: string; client: number }; client: number }>[] = [];
    const fire = (wave: number) => {
      for (const [ci, c] of clients.entries()) {
        for (let i = 0; i < PER_CLIENT / 3; i++) {
          const id = `${ci}-${wave}-${i}-${randomUUID()}`;
          sent.push(firstValueFrom(c.send<{ id: string; client: number }>(TOPIC, { id, client: ci })).then((got) => ({ expected: id, got, client: ci })));
        }
      }
    };
    fire(0);
    // Forced rebalances: a third server joins the group, then the first one leaves it, while requests are in flight.
    const joining = startServer().then((s) => servers.push(s));
    fire(1);
    await joining;
    const leaving = servers.shift()!.close();
    fire(2);
    await leaving;
    const results = await Promise.all(sent);
    expect(results).toHaveLength(3 * PER_CLIENT);
    for (const r of results) {
      expect(r.got.id).toBe(r.expected);
      expect(r.got.client).toBe(r.client);
    }
  });
});
