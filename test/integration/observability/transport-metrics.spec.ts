import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { lastValueFrom } from 'rxjs';
import { Registry } from 'prom-client';
import { ClientRdKafka, Producer, type RdKafkaContext, RequestTimeoutError, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics } from '../helpers/transport-topics.js';
import { collectOtel, eventually, otelPoints, promValue } from '../helpers/otel-metrics.js';

const EVENTS = uniqueTopic('metrics-events');
const RPC = uniqueTopic('metrics-rpc');
const SLOW_RPC = uniqueTopic('metrics-slow-rpc');
const COUNT = 1000;
/** Every hundredth record fails, always: 10 failures the error policy retries once and then skips. */
const failing = (i: number): boolean => i % 100 === 0;

@Controller()
class MetricsController {
  @EventPattern(EVENTS)
  event(@Payload() data: unknown): void {
    const { i } = data as { i: number };
    if (failing(i)) throw new Error(`record ${i} fails`);
  }

  @MessagePattern(RPC)
  echo(@Payload() data: { n: number }, @Ctx() _ctx: RdKafkaContext): { n: number } {
    return { n: data.n };
  }

  @MessagePattern(SLOW_RPC)
  async slow(): Promise<string> {
    await new Promise((r) => setTimeout(r, 2500));
    return 'late';
  }
}

@Module({ controllers: [MetricsController] })
class MetricsModule {}

/** An OpenTelemetry SDK meter provider whose reader the test collects from (cumulative, as Prometheus). */
function otelSdk(): { provider: MeterProvider; reader: PeriodicExportingMetricReader } {
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  return { provider: new MeterProvider({ readers: [reader] }), reader };
}

describe('transport metrics against known traffic (real broker, prom-client and the OpenTelemetry SDK)', () => {
  const registry = new Registry();
  const otel = otelSdk();
  let app: INestMicroservice | undefined;
  let client: ClientRdKafka | undefined;

  beforeAll(async () => {
    await createTopics([EVENTS], 2);
    await createTopics([RPC, `${RPC}.reply`, SLOW_RPC, `${SLOW_RPC}.reply`], 1);
    const producer = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 5 });
    await producer.connect();
    try {
      for (let i = 0; i < COUNT; i++) producer.produce(EVENTS, { value: JSON.stringify({ i }), key: `k${i % 16}` });
      await producer.flush(30_000);
    } finally {
      await producer.close();
    }
    app = await listeningMicroservice(
      MetricsModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': uniqueTopic('metrics-group') },
        errorPolicy: { mode: 'retry', retries: 1, initialBackoffMs: 10, then: 'skip' },
        closeTimeoutMs: 3000,
        metrics: { prometheus: registry, openTelemetry: otel.provider, statisticsIntervalMs: 500 },
      }),
      false,
    );
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await otel.provider.shutdown();
  });

  const handled = (outcome: string): Promise<number | undefined> =>
    promValue(registry, `nestrdkafka_records_handled_total{topic="${EVENTS}",outcome="${outcome}"}`);

  it('counts 1,000 records handled, 10 failed and 10 retried, in Prometheus and OpenTelemetry alike', async () => {
    await eventually(
      async () => ((await handled('success')) ?? 0) + ((await handled('skipped')) ?? 0) >= COUNT,
      60_000,
      `${COUNT} records`,
    );
    expect(await handled('success')).toBe(990);
    expect(await handled('skipped')).toBe(10);
    expect(await handled('stopped')).toBe(0);
    expect(await promValue(registry, `nestrdkafka_records_failed_total{topic="${EVENTS}"}`)).toBe(10);
    expect(await promValue(registry, `nestrdkafka_records_retried_total{topic="${EVENTS}"}`)).toBe(10);
    expect(await promValue(registry, `nestrdkafka_handler_duration_seconds_count{topic="${EVENTS}"}`)).toBe(COUNT);
    // Each failing record waited its 10 ms backoff: the sum is at least that.
    expect(await promValue(registry, `nestrdkafka_handler_duration_seconds_sum{topic="${EVENTS}"}`)).toBeGreaterThanOrEqual(0.1);
    expect((await registry.metrics()).match(/nestrdkafka_rebalances_total\{group="[^"]+",kind="assign"\} (\d+)/)?.[1]).toBe('1');

    const collected = await collectOtel(otel.reader);
    const byOutcome = Object.fromEntries(
      otelPoints(collected, 'nestrdkafka.records.handled')
        .filter((p) => p.attributes['messaging.destination.name'] === EVENTS)
        .map((p) => [p.attributes['nestrdkafka.outcome'], p.value]),
    );
    expect(byOutcome).toEqual({ success: 990, skipped: 10, stopped: 0, aborted: 0, forwarded: 0, dead_lettered: 0 });
    expect(otelPoints(collected, 'nestrdkafka.records.failed')[0]?.value).toBe(10);
    const duration = otelPoints(collected, 'nestrdkafka.handler.duration').find(
      (p) => p.attributes['messaging.destination.name'] === EVENTS,
    );
    expect(duration?.value).toMatchObject({ count: COUNT });
  });

  it("reads consumer lag from librdkafka's statistics: back to 0 on every partition once consumed and committed", async () => {
    const lags = async (): Promise<number[]> =>
      Promise.all(
        [0, 1].map(
          async (p) =>
            (await registry.metrics()).match(
              new RegExp(`kafka_consumer_lag_records\\{client="[^"]+",topic="${EVENTS}",partition="${p}"\\} (\\d+)`),
            )?.[1],
        ),
      ).then((v) => v.map((x) => (x === undefined ? Number.NaN : Number(x))));
    let last: number[] = [];
    await eventually(
      async () => (last = await lags()).every((l) => l === 0),
      30_000,
      'lag 0 on both partitions',
      () => last,
    );
    const collected = await collectOtel(otel.reader);
    const otelLags = otelPoints(collected, 'kafka.consumer.lag').filter((p) => p.attributes['messaging.destination.name'] === EVENTS);
    expect(otelLags.map((p) => p.value)).toEqual([0, 0]);
    // The other statistics are there too: traffic received and a round-trip time per broker.
    expect(await registry.metrics()).toMatch(/kafka_client_received_messages_total\{client="[^"]+#consumer-\d+"\} [1-9]/);
  });

  it('times request-reply: the latency count equals the requests, and a timeout is counted as one', async () => {
    const clientRegistry = new Registry();
    client = new ClientRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      requestTimeoutMs: 1500,
      metrics: { prometheus: clientRegistry, openTelemetry: otel.provider, statisticsIntervalMs: 500 },
    });
    await client.connect();
    const REQUESTS = 20;
    for (let n = 0; n < REQUESTS; n++) expect(await lastValueFrom(client.send(RPC, { n }))).toEqual({ n });
    await expect(lastValueFrom(client.send(SLOW_RPC, {}))).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(await promValue(clientRegistry, `nestrdkafka_request_duration_seconds_count{topic="${RPC}",outcome="success"}`)).toBe(REQUESTS);
    expect(await promValue(clientRegistry, `nestrdkafka_request_duration_seconds_count{topic="${SLOW_RPC}",outcome="timeout"}`)).toBe(1);
    expect(await promValue(clientRegistry, `nestrdkafka_request_timeouts_total{topic="${SLOW_RPC}"}`)).toBe(1);
    // The timed-out request waited requestTimeoutMs.
    expect(
      await promValue(clientRegistry, `nestrdkafka_request_duration_seconds_sum{topic="${SLOW_RPC}",outcome="timeout"}`),
    ).toBeGreaterThanOrEqual(1.4);
    const requests = otelPoints(await collectOtel(otel.reader), 'nestrdkafka.request.duration').find(
      (p) => p.attributes['messaging.destination.name'] === RPC,
    );
    expect(requests?.value).toMatchObject({ count: REQUESTS });
  });
});
