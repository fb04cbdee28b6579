import { Controller, type INestApplication, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  getRdKafkaServerToken,
  RdKafkaModule,
  RdKafkaProducerService,
  type RdKafkaTopicOptions,
  ServerRdKafka,
} from '../../../lib/index.js';
import { RdKafkaAdminService, settleResults } from '../../../lib/admin/index.js';
import { RdKafkaHealthIndicator } from '../../../lib/health/index.js';

/** A record the handler saw: `emittedAt` comes in its payload. */
export interface HandledTick {
  emittedAt: number;
  handledAt: number;
}

/** An app with the module's server, producer and health indicator, whose handler notes when each record came. */
export interface HangApp {
  app: INestApplication;
  health: RdKafkaHealthIndicator;
  events: RdKafkaProducerService;
  /** Each handled record: when it was emitted and when handled. */
  handled: HandledTick[];
  close(): Promise<void>;
}

/** Starts an app on `servers` whose one event handler consumes `topic`. */
export async function startHangApp(servers: string, topic: RdKafkaTopicOptions, group: string): Promise<HangApp> {
  const handled: HandledTick[] = [];
  @Controller()
  class TickController {
    @EventPattern<string>(topic.name)
    tick(@Payload() tick: { at: number }): void {
      handled.push({ emittedAt: tick.at, handledAt: Date.now() });
    }
  }
  @Module({
    imports: [
      RdKafkaModule.forRoot({
        client: { 'bootstrap.servers': servers },
        consumer: { 'group.id': group },
        topics: [topic],
        server: { closeTimeoutMs: 1000 },
      }),
    ],
    controllers: [TickController],
  })
  class HangModule {}
  const moduleRef = await Test.createTestingModule({ imports: [HangModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.connectMicroservice({ strategy: app.get<ServerRdKafka>(getRdKafkaServerToken()) });
  await app.init();
  await app.startAllMicroservices();
  return {
    app,
    handled,
    health: app.get(RdKafkaHealthIndicator),
    events: app.get(RdKafkaProducerService),
    close: async () => {
      await app.close();
      const admin = new RdKafkaAdminService({ 'bootstrap.servers': servers });
      await settleResults(admin.deleteTopics([topic.name]));
      await admin.close();
    },
  };
}
