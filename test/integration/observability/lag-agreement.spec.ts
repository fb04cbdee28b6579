import { Controller, type INestApplication, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { getRdKafkaServerToken, Producer, RdKafkaModule, type ServerRdKafka } from '../../../lib/index.js';
import { RdKafkaHealthIndicator } from '../../../lib/health/index.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { eventually } from '../helpers/otel-metrics.js';

const TOPIC = uniqueTopic('metrics-lag');
const [COUNT, BLOCK_FROM] = [200, 120];

/** Records from BLOCK_FROM on wait here: the committed offset stays at BLOCK_FROM, the lag at COUNT - BLOCK_FROM. */
const gate = { release: (): void => undefined };
const opened = new Promise<void>((r) => (gate.release = r));

@Controller()
class LagController {
  @EventPattern(TOPIC)
  async handle(@Payload() data: unknown): Promise<void> {
    if ((data as { i: number }).i >= BLOCK_FROM) await opened;
  }
}

describe('consumer lag: the health indicator and the metrics agree (module, real broker)', () => {
  const registry = new Registry();
  let app: INestApplication | undefined;

  beforeAll(async () => {
    @Module({
      imports: [
        RdKafkaModule.forRoot({
          client: { 'bootstrap.servers': bootstrapServers() },
          consumer: { 'group.id': uniqueTopic('metrics-lag-group') },
          topics: [{ name: TOPIC, numPartitions: 1 }],
          server: { closeTimeoutMs: 1000 },
          metrics: { prometheus: registry, openTelemetry: false, statisticsIntervalMs: 300 },
        }),
      ],
      controllers: [LagController],
    })
    class LagModule {}
    const moduleRef = await Test.createTestingModule({ imports: [LagModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.connectMicroservice({ strategy: app.get<ServerRdKafka>(getRdKafkaServerToken()) });
    await app.init();
    await app.startAllMicroservices();
    const producer = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 5 });
    await producer.connect();
    try {
      for (let i = 0; i < COUNT; i++) producer.produce(TOPIC, { value: JSON.stringify({ i }) });
      await producer.flush(15_000);
    } finally {
      await producer.close();
    }
  });

  afterAll(async () => {
    gate.release();
    await app?.close();
  });

  /** kafka_consumer_lag_records of the topic's partition 0, from the server consumer's statistics. */
  const metricLag = async (): Promise<number | undefined> => {
    const m = (await registry.metrics()).match(
      new RegExp(`kafka_consumer_lag_records\\{client="[^"]+",topic="${TOPIC}",partition="0"\\} (\\d+)`),
    );
    return m ? Number(m[1]) : undefined;
  };
  const healthLag = async (): Promise<number | undefined> =>
    (await app!.get(RdKafkaHealthIndicator).report()).consumer?.partitions.find((p) => p.topic === TOPIC && p.partition === 0)?.lag;

  it('report the same lag while a handler holds the partition (which the buffer and in-flight gauges show), and both reach 0 once it is released', async () => {
    const behind = COUNT - BLOCK_FROM;
    let seen: [number | undefined, number | undefined] = [undefined, undefined];
    const both = async (expected: number): Promise<boolean> => {
      seen = [await healthLag(), await metricLag()];
      return seen[0] === expected && seen[1] === expected;
    };
    await eventually(
      () => both(behind),
      30_000,
      `lag ${behind} in the health report and the metric`,
      () => seen,
    );
    expect(seen).toEqual([behind, behind]);
    // Meanwhile the server holds those records: one running (in flight), the rest queued behind it in its buffer
    // of maxBufferedRecords (500 by default).
    let text = '';
    const gauge = (name: string): number => Number(text.match(new RegExp(`^${name}\\{group="[^"]+"\\} (\\S+)$`, 'm'))?.[1]);
    const buffered = async (): Promise<boolean> => {
      text = await registry.metrics();
      return gauge('nestrdkafka_buffered_records') === behind;
    };
    await eventually(buffered, 10_000, `${behind} buffered records`, () => gauge('nestrdkafka_buffered_records'));
    expect(gauge('nestrdkafka_records_in_flight')).toBe(1);
    expect(gauge('nestrdkafka_buffer_fill_ratio')).toBeCloseTo(behind / 500, 9);
    gate.release();
    await eventually(
      () => both(0),
      30_000,
      'lag 0 in the health report and the metric',
      () => seen,
    );
    // The module exports its producer service's and server's statistics through the same registry.
    expect(await registry.metrics()).toMatch(/kafka_client_transmitted_bytes_total\{client="[^"]+#producer-\d+"\} [1-9]/);
  });
});
