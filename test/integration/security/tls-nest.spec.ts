import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  ClientRdKafka,
  getRdKafkaHealthToken,
  getRdKafkaServerToken,
  RdKafkaModule,
  RdKafkaProducerService,
  ServerRdKafka,
} from '../../../lib/index.js';
import { RdKafkaAdminService } from '../../../lib/admin/index.js';
import { uniqueTopic } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';
import {
  combinationsTable,
  TLS_MATRIX,
  tlsBootstrapServers,
  tlsConfig,
  type TlsCombination,
  type TlsListener,
  type TlsMaterial,
} from '../helpers/tls-env.js';

const tested: TlsCombination[] = [];

async function combination(listener: TlsListener, material: TlsMaterial, client: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    tested.push({ listener, client, material, result: 'ok' });
  } catch (e) {
    tested.push({ listener, client, material, result: `FAILED: ${String(e).split('\n')[0].slice(0, 80)}` });
    throw e;
  }
}

afterAll(() => {
  console.log(`TLS combinations tested (transport, module, health):\n${combinationsTable(tested)}`);
});

/** Handlers for one combination's topics: a request-reply pattern and an event pattern. */
function handlersFor(topics: { request: string; event: string }, events: unknown[]) {
  @Controller()
  class Handlers {
    @MessagePattern(topics.request)
    double(@Payload() data: { n: number }): { doubled: number } {
      return { doubled: data.n * 2 };
    }

    @EventPattern(topics.event)
    on(@Payload() data: unknown): void {
      events.push(data);
    }
  }
  return Handlers;
}

describe.each(TLS_MATRIX)('TLS listener %s, certificates as %s: Nest clients (embedded broker)', (listener, material) => {
  const tag = `${listener.toLowerCase()}-${material}`;

  it('ServerRdKafka and ClientRdKafka: a request gets its reply and an event reaches its handler', async () => {
    await combination(listener, material, 'ServerRdKafka + ClientRdKafka', async () => {
      const topics = { request: uniqueTopic(`tls-rr-${tag}`), event: uniqueTopic(`tls-ev-${tag}`) };
      await createTopics([topics.request, `${topics.request}.reply`, topics.event]);
      const events: unknown[] = [];
      @Module({ controllers: [handlersFor(topics, events)] })
      class AppModule {}
      const app = await listeningMicroservice(
        AppModule,
        new ServerRdKafka({
          client: tlsConfig(listener, material),
          consumer: { 'group.id': `tls-${randomUUID()}`, 'auto.offset.reset': 'earliest' },
        }),
        false,
      );
      const client = new ClientRdKafka({ client: tlsConfig(listener, material), requestTimeoutMs: 20_000 });
      try {
        await client.connect();
        await expect(lastValueFrom(client.send(topics.request, { n: 21 }))).resolves.toEqual({ doubled: 42 });
        await lastValueFrom(client.emit(topics.event, { over: listener }));
        await waitFor(() => events.length === 1, 20_000, 'the event');
        expect(events).toEqual([{ over: listener }]);
      } finally {
        await client.close();
        await app.close();
      }
    });
  });

  it('RdKafkaModule: provisions its topics, produces, administers and reports healthy', async () => {
    await combination(listener, material, 'RdKafkaModule (producer, admin, topics, health)', async () => {
      const topics = { request: uniqueTopic(`tls-mod-rr-${tag}`), event: uniqueTopic(`tls-mod-ev-${tag}`) };
      const events: unknown[] = [];
      @Module({
        imports: [
          RdKafkaModule.forRoot({
            client: tlsConfig(listener, material),
            consumer: { 'group.id': `tls-mod-${randomUUID()}`, 'auto.offset.reset': 'earliest' },
            topics: [{ name: topics.event, numPartitions: 2 }, { name: topics.request }, { name: `${topics.request}.reply` }],
            server: { closeTimeoutMs: 1000 },
          }),
        ],
        controllers: [handlersFor(topics, events)],
      })
      class AppModule {}
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      app.connectMicroservice({ strategy: app.get<ServerRdKafka>(getRdKafkaServerToken()) });
      try {
        await app.init();
        await app.startAllMicroservices();
        // Provisioned over TLS by the module's admin (kafkajs backend).
        expect((await app.get(RdKafkaAdminService).describeTopics([topics.event]).get(topics.event)!).partitions).toHaveLength(2);
        const report = await app.get(RdKafkaProducerService).emit(topics.event, { over: listener });
        expect(report.topic).toBe(topics.event);
        await waitFor(() => events.length === 1, 20_000, 'the event');
        await expect(lastValueFrom(app.get(ClientRdKafka).send(topics.request, { n: 2 }))).resolves.toEqual({ doubled: 4 });
        const health = app.get(getRdKafkaHealthToken());
        let last = await health.report();
        for (let i = 0; i < 40 && !(last.healthy && (last.consumer?.assigned ?? 0) > 0); i++) {
          await new Promise((r) => setTimeout(r, 250));
          last = await health.report();
        }
        expect(last).toMatchObject({
          healthy: true,
          problems: [],
          brokers: { reachable: true, count: tlsBootstrapServers(listener).split(',').length },
        });
        expect(last.consumer?.assigned).toBeGreaterThan(0);
      } finally {
        await app.close();
      }
    });
  });
});
