import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { type ClientRdKafka, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { connectedClient, listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

// Without processing hooks the server calls event handlers directly (fewer promise hops per record); with a hook
// set (tracing, metrics) every handler must run inside it, failures included. This proves the hooked path.
const RUN = randomUUID().slice(0, 8);
const T = { event: `hook-evt-${RUN}`, failing: `hook-fail-${RUN}`, rpc: `hook-rpc-${RUN}` };
const log: string[] = [];
let failures = 0;

@Controller()
class HookedController {
  @EventPattern<string>(T.event)
  async onEvent(@Payload() data: { n: number }): Promise<void> {
    log.push(`handler ${data.n}`);
  }

  @EventPattern<string>(T.failing)
  onFailing(): void {
    failures++;
    log.push(`failing ${failures}`);
    if (failures === 1) throw new Error('first attempt fails');
  }

  @MessagePattern<string>(T.rpc)
  double(@Payload() data: { n: number }): { doubled: number } {
    log.push(`rpc ${data.n}`);
    return { doubled: data.n * 2 };
  }
}

@Module({ controllers: [HookedController] })
class HookedModule {}

describe('ServerRdKafka with Nest processing hooks (real broker)', () => {
  let app: INestMicroservice;
  let client: ClientRdKafka;

  beforeAll(async () => {
    await createTopics(Object.values(T));
    const server = new ServerRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      consumer: { 'group.id': `hooks-${RUN}` },
      errorPolicy: { mode: 'retry', retries: 2, initialBackoffMs: 10 },
    });
    server.setOnProcessingStartHook((_transport, ctx, done) => {
      log.push(`start ${(ctx as unknown as { getTopic(): string }).getTopic()}`);
      return done();
    });
    server.setOnProcessingEndHook((_transport, ctx) => log.push(`end ${(ctx as unknown as { getTopic(): string }).getTopic()}`));
    app = await listeningMicroservice(HookedModule, server);
    client = await connectedClient();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
  });

  it('runs an event handler between the start and end hooks', async () => {
    log.length = 0;
    await lastValueFrom(client.emit(T.event, { n: 1 }));
    await waitFor(() => log.includes(`end ${T.event}`), 20_000, 'the end hook');
    expect(log).toEqual([`start ${T.event}`, 'handler 1', `end ${T.event}`]);
  });

  it('runs every attempt of a retried event handler inside the hooks', async () => {
    log.length = 0;
    await lastValueFrom(client.emit(T.failing, {}));
    await waitFor(() => log.filter((l) => l === `end ${T.failing}`).length >= 2, 20_000, 'two attempts');
    expect(log).toEqual([`start ${T.failing}`, 'failing 1', `end ${T.failing}`, `start ${T.failing}`, 'failing 2', `end ${T.failing}`]);
  });

  it('wraps a request handler too', async () => {
    log.length = 0;
    await expect(firstValueFrom(client.send(T.rpc, { n: 21 }))).resolves.toEqual({ doubled: 42 });
    await waitFor(() => log.includes(`end ${T.rpc}`), 20_000, 'the end hook');
    expect(log).toEqual([`start ${T.rpc}`, 'rpc 21', `end ${T.rpc}`]);
  });
});
