import { randomUUID } from 'node:crypto';
import { type CanActivate, Controller, Injectable, type INestMicroservice, Module, ParseIntPipe, UseGuards } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom, of, toArray } from 'rxjs';
import { ClientRdKafka, RdKafkaContext, RequestTimeoutError, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { connectedClient, listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = {
  sum: `sum-${RUN}`,
  regexA: `rx-${RUN}-a`,
  regexB: `rx-${RUN}-b`,
  event: `evt-${RUN}`,
  fail: `fail-${RUN}`,
  guarded: `guarded-${RUN}`,
  piped: `piped-${RUN}`,
  stream: `stream-${RUN}`,
  ctx: `ctx-${RUN}`,
  silent: `silent-${RUN}`,
};
const events: unknown[] = [];

@Injectable()
class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller()
class RoutingController {
  @MessagePattern(T.sum)
  sum(@Payload() data: { values: number[] }): { sum: number } {
    return { sum: data.values.reduce((a, b) => a + b, 0) };
  }

  @MessagePattern(new RegExp(`^rx-${RUN}-.*`))
  regex(@Ctx() ctx: RdKafkaContext): { topic: string } {
    return { topic: ctx.getTopic() };
  }

  @EventPattern(T.event)
  onEvent(@Payload() data: unknown): void {
    events.push(data);
  }

  @MessagePattern(T.fail)
  fail(): never {
    throw new RpcException('nope');
  }

  @UseGuards(DenyGuard)
  @MessagePattern(T.guarded)
  guarded(): string {
    return 'should not run';
  }

  @MessagePattern(T.piped)
  piped(@Payload(ParseIntPipe) n: number): { doubled: number } {
    return { doubled: n * 2 };
  }

  @MessagePattern(T.stream)
  stream() {
    return of({ i: 1 }, { i: 2 }, { i: 3 });
  }

  @MessagePattern(T.ctx)
  context(@Ctx() ctx: RdKafkaContext) {
    // No `key`/`value` property in a reply: Nest's serializer would take the object as a record.
    return {
      topic: ctx.getTopic(),
      partition: ctx.getPartition(),
      recordKey: ctx.getKey(),
      h: ctx.getHeaders()['x-trace'],
      offsetIsNumber: typeof ctx.getOffset() === 'number',
    };
  }

  @MessagePattern(T.silent)
  async silent(): Promise<never> {
    return new Promise(() => undefined);
  }
}

@Module({ controllers: [RoutingController] })
class RoutingModule {}

describe('ServerRdKafka routing through Nest (real broker)', () => {
  let app: INestMicroservice;
  let client: ClientRdKafka;

  beforeAll(async () => {
    await createTopics(Object.values(T));
    app = await listeningMicroservice(
      RoutingModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': `routing-${RUN}` },
        errorPolicy: { mode: 'skip' },
      }),
    );
    client = await connectedClient();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
  });

  it('answers a request routed by a string pattern', async () => {
    await expect(firstValueFrom(client.send(T.sum, { values: [1, 2, 3] }))).resolves.toEqual({ sum: 6 });
  });

  it('routes every topic matching a RegExp pattern to its handler', async () => {
    await expect(firstValueFrom(client.send(T.regexA, {}))).resolves.toEqual({ topic: T.regexA });
    await expect(firstValueFrom(client.send(T.regexB, {}))).resolves.toEqual({ topic: T.regexB });
  });

  it('delivers events to the event handler', async () => {
    const report = await lastValueFrom(client.emit(T.event, { n: 1 }));
    expect(report.topic).toBe(T.event);
    await lastValueFrom(client.emit(T.event, { key: 'k', value: [2], headers: { a: 'b' } }));
    await waitFor(() => events.length >= 2, 20_000, 'two events');
    expect(events).toEqual([{ n: 1 }, [2]]);
  });

  it('turns an RpcException into an error reply', async () => {
    await expect(firstValueFrom(client.send(T.fail, {}))).rejects.toEqual({ status: 'error', message: 'nope' });
  });

  it('applies guards and pipes', async () => {
    await expect(firstValueFrom(client.send(T.guarded, {}))).rejects.toEqual({ status: 'error', message: 'Forbidden resource' });
    await expect(firstValueFrom(client.send(T.piped, '21'))).resolves.toEqual({ doubled: 42 });
    await expect(firstValueFrom(client.send(T.piped, 'abc'))).rejects.toMatchObject({ status: 'error' });
  });

  it('streams every value of an Observable and completes', async () => {
    await expect(lastValueFrom(client.send(T.stream, {}).pipe(toArray()))).resolves.toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
  });

  it('gives the handler the record through RdKafkaContext, with per-call key and headers', async () => {
    const got = await firstValueFrom(client.send(T.ctx, { key: 'the-key', value: { x: 1 }, headers: { 'x-trace': 't1' } }));
    expect(got).toEqual({ topic: T.ctx, partition: 0, recordKey: 'the-key', h: 't1', offsetIsNumber: true });
  });

  it('fails a request with no reply with RequestTimeoutError', async () => {
    const quick = new ClientRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, requestTimeoutMs: 1500 });
    try {
      const err = await firstValueFrom(quick.send(T.silent, {})).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RequestTimeoutError);
      expect(err).toMatchObject({ name: 'RequestTimeoutError', pattern: T.silent, timeoutMs: 1500 });
    } finally {
      await quick.close();
    }
  });
});
