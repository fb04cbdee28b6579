import { randomUUID } from 'node:crypto';
import { Controller, Inject, type INestApplication, Injectable, Module } from '@nestjs/common';
import { ClientsModule, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  ClientRdKafka,
  getRdKafkaServerToken,
  InjectRdKafkaAdmin,
  InjectRdKafkaClient,
  InjectRdKafkaProducer,
  RdKafkaModule,
  type RdKafkaModuleOptions,
  RdKafkaProducerService,
  ServerRdKafka,
} from '../../../lib/index.js';
import { NewTopic, RdKafkaAdminService, settleResults } from '../../../lib/admin/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';

const RUN = randomUUID().slice(0, 8);
const TRIPLE = `mod-async-triple-${RUN}`;
const EVENTS = `mod-async-events-${RUN}`;

/** Stands in for an application's config module. */
@Module({ providers: [{ provide: 'BROKERS', useFactory: () => bootstrapServers() }], exports: ['BROKERS'] })
class SettingsModule {}

/** A `useClass` options factory. */
@Injectable()
class NorthOptions {
  createRdKafkaOptions(): RdKafkaModuleOptions {
    return { client: { 'bootstrap.servers': bootstrapServers(), 'client.id': 'north' } };
  }
}

@Controller()
class MathController {
  @MessagePattern(TRIPLE)
  triple(@Payload() data: { n: number }): { tripled: number } {
    return { tripled: data.n * 3 };
  }
}

/** Injects named instances of three module instances, and a ClientsModule client. */
@Injectable()
class Consumers {
  constructor(
    @InjectRdKafkaClient('east') readonly eastClient: ClientRdKafka,
    @InjectRdKafkaClient('west') readonly westClient: ClientRdKafka,
    @InjectRdKafkaAdmin('west') readonly westAdmin: RdKafkaAdminService,
    @InjectRdKafkaProducer('east') readonly eastEvents: RdKafkaProducerService,
    @InjectRdKafkaProducer('north') readonly northEvents: RdKafkaProducerService,
    @Inject('MATH') readonly math: ClientRdKafka,
  ) {}
}

describe('RdKafkaModule.forRootAsync, named instances and ClientsModule (real broker)', () => {
  let app: INestApplication;
  let c: Consumers;

  beforeAll(async () => {
    const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
    await settleResults(admin.createTopics([TRIPLE, `${TRIPLE}.reply`, EVENTS].map((t) => new NewTopic(t, { numPartitions: 1 }))));
    await admin.close();
    const moduleRef = await Test.createTestingModule({
      imports: [
        RdKafkaModule.forRootAsync({
          name: 'east',
          imports: [SettingsModule],
          inject: ['BROKERS'],
          useFactory: (brokers: string) => ({ client: { 'bootstrap.servers': brokers, 'client.id': 'east' } }),
        }),
        RdKafkaModule.forRoot({
          name: 'west',
          client: { 'bootstrap.servers': bootstrapServers(), 'client.id': 'west' },
          consumer: { 'group.id': `mod-async-${RUN}` },
        }),
        RdKafkaModule.forRootAsync({ name: 'north', useClass: NorthOptions }),
        // Nest's own client registry builds our ClientProxy through customClass, with no cast.
        ClientsModule.register([
          {
            name: 'MATH',
            customClass: ClientRdKafka,
            options: { client: { 'bootstrap.servers': bootstrapServers() } },
          },
        ]),
      ],
      controllers: [MathController],
      providers: [Consumers],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.connectMicroservice({ strategy: app.get<ServerRdKafka>(getRdKafkaServerToken('west')) });
    await app.init();
    await app.startAllMicroservices();
    c = app.get(Consumers);
  });

  afterAll(async () => {
    await app?.close();
    const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
    await settleResults(admin.deleteTopics([TRIPLE, `${TRIPLE}.reply`, EVENTS]));
    await admin.close();
  });

  it('gives each named instance its own providers', () => {
    expect(c.eastClient).toBeInstanceOf(ClientRdKafka);
    expect(c.westClient).toBeInstanceOf(ClientRdKafka);
    expect(c.eastClient).not.toBe(c.westClient);
    expect(c.eastEvents).toBeInstanceOf(RdKafkaProducerService);
    expect(c.eastEvents).not.toBe(c.northEvents);
    expect(c.westAdmin).toBeInstanceOf(RdKafkaAdminService);
    // Named instances do not register the class tokens.
    expect(() => app.get(RdKafkaProducerService)).toThrow();
  });

  it('connects instances built by useFactory (with imports and inject) and by useClass', async () => {
    const [east, north] = await Promise.all([c.eastEvents.emit(EVENTS, { from: 'east' }), c.northEvents.emit(EVENTS, { from: 'north' })]);
    expect([east.topic, north.topic]).toEqual([EVENTS, EVENTS]);
    expect((await c.westAdmin.describeCluster()).nodes.length).toBeGreaterThan(0);
  });

  it("calls a named module's server through a ClientsModule.register({ customClass: ClientRdKafka }) client", async () => {
    await expect(lastValueFrom(c.math.send(TRIPLE, { n: 5 }))).resolves.toEqual({ tripled: 15 });
  });

  it("calls the same server through another named module's client", async () => {
    await expect(lastValueFrom(c.eastClient.send(TRIPLE, { n: 2 }))).resolves.toEqual({ tripled: 6 });
  });
});
