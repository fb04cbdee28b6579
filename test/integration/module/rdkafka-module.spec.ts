import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication, Injectable, Module } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import { ClientRdKafka, getRdKafkaServerToken, RdKafkaModule, RdKafkaProducerService, ServerRdKafka } from '../../../lib/index.js';
import { ConfigResource, NewTopic, RdKafkaAdminService, ResourceType, settleResults } from '../../../lib/admin/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = {
  orders: `mod-orders-${RUN}`,
  double: `mod-double-${RUN}`,
  existing: `mod-existing-${RUN}`,
};
const received: unknown[] = [];

@Controller()
class Handlers {
  @EventPattern(T.orders)
  onOrder(@Payload() order: unknown): void {
    received.push(order);
  }

  @MessagePattern(T.double)
  double(@Payload() data: { n: number }): { doubled: number } {
    return { doubled: data.n * 2 };
  }
}

/** A provider using what the module provides, by class token. */
@Injectable()
class OrdersService {
  constructor(
    readonly events: RdKafkaProducerService,
    readonly client: ClientRdKafka,
    readonly admin: RdKafkaAdminService,
  ) {}
}

describe('RdKafkaModule.forRoot in a hybrid application (real broker)', () => {
  const logger = new CaptureLogger();
  let app: INestApplication;
  let service: OrdersService;

  beforeAll(async () => {
    // An existing topic whose declaration below differs: 1 partition (declared 4), default cleanup.policy.
    const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
    await settleResults(admin.createTopics([new NewTopic(T.existing, { numPartitions: 1, replicationFactor: 1 })]));
    await admin.close();

    @Module({
      imports: [
        RdKafkaModule.forRoot({
          client: { 'bootstrap.servers': bootstrapServers() },
          consumer: { 'group.id': `mod-${RUN}` },
          // librdkafka's debug lines reach the Nest logger with each component's context.
          producer: { debug: 'generic' },
          logger,
          topics: [
            { name: T.orders, numPartitions: 3, replicationFactor: 1, config: { 'retention.ms': '3600000' } },
            { name: T.double, numPartitions: 1 },
            { name: `${T.double}.reply`, numPartitions: 1 },
            { name: T.existing, numPartitions: 4, config: { 'cleanup.policy': 'compact' } },
          ],
        }),
      ],
      controllers: [Handlers],
      providers: [OrdersService],
    })
    class AppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.connectMicroservice({ strategy: app.get<ServerRdKafka>(getRdKafkaServerToken()) });
    await app.init();
    await app.startAllMicroservices();
    service = app.get(OrdersService);
  });

  afterAll(async () => {
    await app?.close();
    const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
    await settleResults(admin.deleteTopics(Object.values(T)));
    await admin.close();
  });

  it('creates missing declared topics with their partitions and configs', async () => {
    const description = await service.admin.describeTopics([T.orders]).get(T.orders)!;
    expect(description.partitions).toHaveLength(3);
    const resource = new ConfigResource(ResourceType.TOPIC, T.orders);
    const configs = await service.admin.describeConfigs([resource]).get(resource)!;
    expect(configs.get('retention.ms')?.value).toBe('3600000');
    expect(logger.of('log', 'RdKafkaModule').some((l) => l.message.includes(T.orders))).toBe(true);
  });

  it('reports, and does not change, an existing topic that differs from its declaration', async () => {
    const warnings = logger
      .of('warn', 'RdKafkaModule')
      .map((l) => l.message)
      .filter((m) => m.includes(T.existing));
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('numPartitions is 1, declared 4'),
        expect.stringContaining('cleanup.policy is delete, declared compact'),
      ]),
    );
    expect((await service.admin.describeTopics([T.existing]).get(T.existing)!).partitions).toHaveLength(1);
  });

  it('emits from a provider through the producer service, with a delivery report, to the server handler', async () => {
    const report = await service.events.emit(T.orders, { key: 'order-1', value: { id: 1 } });
    expect(report.topic).toBe(T.orders);
    expect(report.offset).toBeGreaterThanOrEqual(0);
    service.events.dispatch(T.orders, { id: 2 });
    expect(await service.events.flush(5000)).toBe(0);
    await waitFor(() => received.length >= 2, 30_000, 'both events handled');
    expect(received).toEqual(expect.arrayContaining([{ id: 1 }, { id: 2 }]));
  });

  it('sends a request through the module client and gets the reply', async () => {
    await expect(lastValueFrom(service.client.send<{ doubled: number }>(T.double, { n: 21 }))).resolves.toEqual({ doubled: 42 });
  });

  it("sends librdkafka's log lines to the Nest logger under the producer service's context", () => {
    expect(logger.of('debug', 'RdKafkaProducerService').length).toBeGreaterThan(0);
  });
});
