import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { ClientRdKafka, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
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

/** Requests sent and not answered yet, and how many were outstanding each time a server reported a rebalance. */
let outstanding = 0;
const outstandingAtRebalance: number[] = [];

async function startServer(): Promise<INestMicroservice> {
  const strategy = new ServerRdKafka({
    client: { 'bootstrap.servers': bootstrapServers() },
    consumer: { 'group.id': `scale-${RUN}` },
    concurrency: 4,
  });
  strategy.status.subscribe((s) => {
    if (s === 'rebalancing') outstandingAtRebalance.push(outstanding);
  });
  return listeningMicroservice(ScaleModule, strategy, ['error']);
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
    const send = (ci: number) => {
      const id = `${ci}-${randomUUID()}`;
      outstanding++;
      sent.push(
        firstValueFrom(clients[ci]!.send<{ id: string; client: number }>(TOPIC, { id, client: ci }))
          .finally(() => {
            outstanding--;
          })
          .then((got) => ({ expected: id, got, client: ci })),
      );
    };
    // Requests keep flowing (bounded: at most 600) from all three clients while the group changes under them.
    let flowing = true;
    const flow = (async () => {
      for (let n = 0; (flowing || n < PER_CLIENT) && n < 200; n++) {
        for (let ci = 0; ci < clients.length; ci++) send(ci);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    outstandingAtRebalance.length = 0;
    // Forced rebalances: a third server joins the group, then the first one leaves it.
    servers.push(await startServer());
    await servers.shift()!.close();
    await new Promise((r) => setTimeout(r, 200));
    flowing = false;
    await flow;
    const results = await Promise.all(sent);
    expect(results.length).toBeGreaterThanOrEqual(3 * PER_CLIENT);
    for (const r of results) {
      expect(r.got.id).toBe(r.expected);
      expect(r.got.client).toBe(r.client);
    }
    // The rebalances really happened with requests in flight.
    expect(outstandingAtRebalance.length).toBeGreaterThan(0);
    expect(Math.max(...outstandingAtRebalance)).toBeGreaterThan(0);
  });
});
