import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { ClientKafka, EventPattern, MessagePattern, Payload, RpcException, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { ClientRdKafka, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const OURS = { echo: `ours-echo-${RUN}`, fail: `ours-fail-${RUN}` };
const NESTS = { echo: `nest-echo-${RUN}`, fail: `nest-fail-${RUN}`, event: `nest-event-${RUN}` };
const nestEvents: unknown[] = [];

@Controller()
class OurSideController {
  @MessagePattern(OURS.echo)
  echo(@Payload() d: { n: number }) {
    return { from: 'rdkafka', n: d.n };
  }

  @MessagePattern(OURS.fail)
  fail(): never {
    throw new RpcException({ code: 'E42' });
  }
}

@Controller()
class NestSideController {
  @MessagePattern(NESTS.echo)
  echo(@Payload() d: { n: number }) {
    return { from: 'kafkajs', n: d.n };
  }

  @MessagePattern(NESTS.fail)
  fail(): never {
    throw new RpcException('kafkajs says no');
  }

  @EventPattern<string>(NESTS.event)
  event(@Payload() d: unknown): void {
    nestEvents.push(d);
  }
}

@Module({ controllers: [OurSideController] })
class OurSideModule {}

@Module({ controllers: [NestSideController] })
class NestSideModule {}

const brokers = () => bootstrapServers().split(',');

describe("interop with Nest's kafkajs transport (real broker)", () => {
  let ourServer: INestMicroservice;
  let nestServer: INestMicroservice;
  let nestClient: ClientKafka;
  let ourClient: ClientRdKafka;

  beforeAll(async () => {
    await createTopics([
      ...Object.values(OURS),
      ...Object.values(NESTS),
      ...Object.values(OURS).map((t) => `${t}.reply`),
      ...Object.values(NESTS).map((t) => `${t}.reply`),
    ]);
    ourServer = (await Test.createTestingModule({ imports: [OurSideModule] }).compile()).createNestMicroservice({
      strategy: new ServerRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, consumer: { 'group.id': `interop-rd-${RUN}` } }),
      logger: ['error'],
    });
    // kafkajs members use their own group: librdkafka and kafkajs cannot share one.
    nestServer = (await Test.createTestingModule({ imports: [NestSideModule] }).compile()).createNestMicroservice({
      transport: Transport.KAFKA,
      options: { client: { brokers: brokers(), clientId: `interop-${RUN}`, logLevel: 1 }, consumer: { groupId: `interop-kjs-${RUN}` } },
      logger: ['error'],
    });
    await Promise.all([ourServer.listen(), nestServer.listen()]);
    nestClient = new ClientKafka({
      client: { brokers: brokers(), clientId: `interop-c-${RUN}`, logLevel: 1 },
      consumer: { groupId: `interop-kjs-client-${RUN}` },
    });
    nestClient.subscribeToResponseOf(OURS.echo);
    nestClient.subscribeToResponseOf(OURS.fail);
    ourClient = new ClientRdKafka({ client: { 'bootstrap.servers': bootstrapServers() } });
    await Promise.all([nestClient.connect(), ourClient.connect()]);
  });

  afterAll(async () => {
    await Promise.allSettled([nestClient?.close(), ourClient?.close()]);
    await Promise.allSettled([ourServer?.close(), nestServer?.close()]);
  });

  it("Nest's ClientKafka calls ServerRdKafka: reply and error reply", async () => {
    await expect(firstValueFrom(nestClient.send(OURS.echo, { n: 7 }))).resolves.toEqual({ from: 'rdkafka', n: 7 });
    await expect(firstValueFrom(nestClient.send(OURS.fail, {}))).rejects.toEqual({ code: 'E42' });
  });

  it("ClientRdKafka calls Nest's ServerKafka: reply, error reply and an event", async () => {
    await expect(firstValueFrom(ourClient.send(NESTS.echo, { n: 8 }))).resolves.toEqual({ from: 'kafkajs', n: 8 });
    await expect(firstValueFrom(ourClient.send(NESTS.fail, {}))).rejects.toEqual({ status: 'error', message: 'kafkajs says no' });
    await lastValueFrom(ourClient.emit(NESTS.event, { e: 1 }));
    await waitFor(() => nestEvents.length === 1, 20_000, 'the event on the kafkajs side');
    expect(nestEvents).toEqual([{ e: 1 }]);
  });
});
