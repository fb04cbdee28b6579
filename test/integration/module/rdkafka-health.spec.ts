import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { getRdKafkaServerToken, RdKafkaModule, RdKafkaProducerService, ServerRdKafka } from '../../../lib/index.js';
import { RdKafkaAdminService, settleResults } from '../../../lib/admin/index.js';
import { RdKafkaHealthIndicator } from '../../../lib/health/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';

const RUN = randomUUID().slice(0, 8);
const SLOW = `health-slow-${RUN}`;
const STALL_MS = 1500;

/** Handlers wait on this gate while `blocked`: a hung handler, as a health check must notice. */
const gate = { blocked: false, release: (): void => undefined, opened: Promise.resolve() };
function closeGate(): void {
  gate.blocked = true;
  gate.opened = new Promise<void>((r) => {
    gate.release = r;
  });
}

@Controller()
class SlowController {
  @EventPattern(SLOW)
  async handle(@Payload() _data: unknown): Promise<void> {
    if (gate.blocked) await gate.opened;
  }
}

@Controller()
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: RdKafkaHealthIndicator,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.kafka.isHealthy('kafka')]);
  }
}

interface HealthBody {
  status: string;
  details: {
    kafka: { status: string; consumer: { assigned: number; lag: number; stalled: string[] } | null; brokers: { reachable: boolean } };
  };
}

describe('RdKafkaHealthIndicator behind @nestjs/terminus (real broker, HTTP)', () => {
  let app: INestApplication;
  let base: string;

  async function health(): Promise<{ status: number; body: HealthBody }> {
    const res = await fetch(`${base}/health`);
    return { status: res.status, body: (await res.json()) as HealthBody };
  }

  /** Polls GET /health until `check` accepts a response; returns it. */
  async function healthUntil(
    check: (r: { status: number; body: HealthBody }) => boolean,
    timeoutMs: number,
  ): Promise<{ status: number; body: HealthBody }> {
    const deadline = Date.now() + timeoutMs;
    let last = await health();
    while (!check(last)) {
      if (Date.now() > deadline) throw new Error(`health never matched; last: ${last.status} ${JSON.stringify(last.body)}`);
      await new Promise((r) => setTimeout(r, 250));
      last = await health();
    }
    return last;
  }

  beforeAll(async () => {
    @Module({
      imports: [
        TerminusModule,
        RdKafkaModule.forRoot({
          client: { 'bootstrap.servers': bootstrapServers() },
          consumer: { 'group.id': `health-${RUN}` },
          topics: [{ name: SLOW, numPartitions: 1 }],
          server: { closeTimeoutMs: 1000 },
          health: { stallTimeoutMs: STALL_MS, unassignedTimeoutMs: 60_000 },
        }),
      ],
      controllers: [SlowController, HealthController],
    })
    class HealthAppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [HealthAppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.connectMicroservice({ strategy: app.get<ServerRdKafka>(getRdKafkaServerToken()) });
    await app.init();
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    gate.release();
    await app?.close();
    const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
    await settleResults(admin.deleteTopics([SLOW]));
    await admin.close();
  });

  it('is up once brokers answer and the consumer owns its partition', async () => {
    const r = await healthUntil((x) => x.status === 200 && (x.body.details.kafka.consumer?.assigned ?? 0) > 0, 30_000);
    expect(r.body.status).toBe('ok');
    expect(r.body.details.kafka.brokers.reachable).toBe(true);
  });

  it('goes down when a handler hangs with lag and no progress for stallTimeoutMs, and up again when it finishes', async () => {
    closeGate();
    const events = app.get(RdKafkaProducerService);
    await events.emitBatch(SLOW, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    const started = Date.now();
    const down = await healthUntil((x) => x.status === 503, 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(STALL_MS);
    expect(down.body.details.kafka.status).toBe('down');
    expect(down.body.details.kafka.consumer?.stalled).toEqual([`${SLOW}[0]`]);
    expect(down.body.details.kafka.consumer?.lag).toBeGreaterThan(0);

    gate.blocked = false;
    gate.release();
    // Up again as soon as the committed offset moves; the lag reaches 0 with the next commits.
    await healthUntil((x) => x.status === 200, 20_000);
    const caughtUp = await healthUntil((x) => x.status === 200 && x.body.details.kafka.consumer?.lag === 0, 20_000);
    expect(caughtUp.body.details.kafka.consumer?.stalled).toEqual([]);
  });
});
