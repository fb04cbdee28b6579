import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { Registry } from 'prom-client';
import { type ClientConfig, MissingDependencyError } from '../../../../lib/index.js';
import { RdKafkaMetrics } from '../../../../lib/observability/metrics/index.js';
import { defaultPrometheusRegistry } from '../../../../lib/observability/metrics/prometheus/load-prom-client.js';
import { globalMeterProvider } from '../../../../lib/observability/metrics/opentelemetry/load-otel-api.js';
import { collectOtel, otelPoints } from '../../../integration/helpers/otel-metrics.js';

const notInstalled = (id: string): never => {
  throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
};

/** A line of Prometheus text: `name{labels} value`. */
const line = (text: string, series: string): number | undefined => {
  const found = text.split('\n').find((l) => l.startsWith(`${series} `));
  return found === undefined ? undefined : Number(found.slice(series.length + 1));
};

describe('RdKafkaMetrics export to a prom-client registry', () => {
  it('writes counters with _total, histograms in seconds with cumulative buckets, by topic and outcome', async () => {
    const registry = new Registry();
    const metrics = new RdKafkaMetrics({ prometheus: registry, openTelemetry: false });
    metrics.start();
    for (let i = 0; i < 5; i++) metrics.recordHandled('orders', 'success', 0.002);
    metrics.recordHandled('orders', 'skipped', 0.3);
    metrics.recordFailed('orders');
    metrics.recordRetried('orders');
    metrics.recordRetried('orders');
    metrics.recordDeadLettered('orders');
    const text = await registry.metrics();
    expect(text).toContain('# TYPE nestrdkafka_records_handled_total counter');
    expect(line(text, 'nestrdkafka_records_handled_total{topic="orders",outcome="success"}')).toBe(5);
    expect(line(text, 'nestrdkafka_records_handled_total{topic="orders",outcome="skipped"}')).toBe(1);
    expect(line(text, 'nestrdkafka_records_failed_total{topic="orders"}')).toBe(1);
    expect(line(text, 'nestrdkafka_records_retried_total{topic="orders"}')).toBe(2);
    expect(line(text, 'nestrdkafka_records_dead_lettered_total{topic="orders"}')).toBe(1);
    expect(text).toContain('# TYPE nestrdkafka_handler_duration_seconds histogram');
    expect(line(text, 'nestrdkafka_handler_duration_seconds_bucket{topic="orders",le="0.001"}')).toBe(0);
    expect(line(text, 'nestrdkafka_handler_duration_seconds_bucket{topic="orders",le="0.0025"}')).toBe(5);
    expect(line(text, 'nestrdkafka_handler_duration_seconds_bucket{topic="orders",le="0.5"}')).toBe(6);
    expect(line(text, 'nestrdkafka_handler_duration_seconds_bucket{topic="orders",le="+Inf"}')).toBe(6);
    expect(line(text, 'nestrdkafka_handler_duration_seconds_count{topic="orders"}')).toBe(6);
    expect(line(text, 'nestrdkafka_handler_duration_seconds_sum{topic="orders"}')).toBeCloseTo(0.31, 9);
    metrics.stop();
    expect(await registry.metrics()).not.toContain('nestrdkafka_');
  });

  it('adds up the series of several servers and clients sharing one registry, and drops a stopped one', async () => {
    const registry = new Registry();
    const [a, b] = [new RdKafkaMetrics({ prometheus: registry }), new RdKafkaMetrics({ prometheus: registry })];
    a.start();
    b.start();
    a.recordHandled('t', 'success', 0.001);
    b.recordHandled('t', 'success', 0.001);
    b.requestEnded('rpc', 'timeout', 10);
    expect(line(await registry.metrics(), 'nestrdkafka_records_handled_total{topic="t",outcome="success"}')).toBe(2);
    expect(line(await registry.metrics(), 'nestrdkafka_request_timeouts_total{topic="rpc"}')).toBe(1);
    b.stop();
    expect(line(await registry.metrics(), 'nestrdkafka_records_handled_total{topic="t",outcome="success"}')).toBe(1);
    a.stop();
  });

  it("refuses a registry holding another library's metric of the same name", () => {
    const registry = new Registry();
    // Another metric under one of our names (not the first): refused, and nothing of ours stays behind.
    registry.registerMetric({ name: 'nestrdkafka_records_failed_total', get: () => Promise.resolve({}), reset() {} } as never);
    expect(() => new RdKafkaMetrics({ prometheus: registry }).start()).toThrow(
      /already holds a metric named nestrdkafka_records_failed_total/,
    );
    expect(registry.getMetricsAsArray().map((m) => m.name)).toEqual(['nestrdkafka_records_failed_total']);
  });

  it('exports librdkafka statistics until they are older than staleAfterIntervals intervals', async () => {
    const registry = new Registry();
    const metrics = new RdKafkaMetrics({ prometheus: registry, statisticsIntervalMs: 1000, staleAfterIntervals: 3 });
    metrics.start();
    const json = JSON.stringify({
      name: 'c#consumer-1',
      type: 'consumer',
      topics: { t: { partitions: { '0': { partition: 0, consumer_lag: 7, consumer_lag_stored: 3 } } } },
    });
    metrics.onStatistics(json, Date.now() - 2000);
    expect(line(await registry.metrics(), 'kafka_consumer_lag_records{client="c#consumer-1",topic="t",partition="0"}')).toBe(7);
    expect(line(await registry.metrics(), 'kafka_consumer_lag_stored_records{client="c#consumer-1",topic="t",partition="0"}')).toBe(3);
    metrics.onStatistics(json, Date.now() - 3500);
    expect(await registry.metrics()).not.toContain('kafka_consumer_lag_records{');
    metrics.stop();
  });

  it('chains stats_cb before the application one and sets statistics.interval.ms only when the config does not', () => {
    const metrics = new RdKafkaMetrics({ statisticsIntervalMs: 2000 });
    const seen: string[] = [];
    const user: ClientConfig = { 'bootstrap.servers': 'x', stats_cb: (j: string) => void seen.push(j) };
    const config = metrics.instrumentConfig(user);
    expect(config['statistics.interval.ms']).toBe(2000);
    config.stats_cb!('{"name":"p#producer-1","type":"producer","msg_cnt":3}');
    expect(seen).toHaveLength(1);
    expect(metrics.collectValues('producerQueueMessages')).toEqual([{ labels: { client: 'p#producer-1' }, value: 3 }]);
    expect(metrics.instrumentConfig({ 'statistics.interval.ms': 100 })['statistics.interval.ms']).toBe(100);
  });
});

describe('RdKafkaMetrics export through the OpenTelemetry metrics API', () => {
  it('reports counters, gauges and histograms with messaging attribute names to the SDK', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const metrics = new RdKafkaMetrics({ openTelemetry: provider });
    metrics.start();
    for (let i = 0; i < 3; i++) metrics.recordHandled('orders', 'success', 0.004);
    metrics.requestEnded('rpc', 'success', 0.02);
    metrics.serverGauges('g').inFlight = 2;
    const collected = await collectOtel(reader);
    // Every outcome of a topic is reported from its first record on, zeros included (so ratios work at once).
    expect(otelPoints(collected, 'nestrdkafka.records.handled')).toEqual(
      (['success', 'skipped', 'stopped', 'aborted', 'forwarded', 'dead_lettered'] as const).map((outcome) => ({
        attributes: { 'messaging.destination.name': 'orders', 'nestrdkafka.outcome': outcome },
        value: outcome === 'success' ? 3 : 0,
      })),
    );
    expect(otelPoints(collected, 'nestrdkafka.records.in_flight')).toEqual([
      { attributes: { 'messaging.consumer.group.name': 'g' }, value: 2 },
    ]);
    const [duration] = otelPoints(collected, 'nestrdkafka.handler.duration');
    expect(duration!.value).toMatchObject({ count: 3 });
    expect((duration!.value as { sum: number }).sum).toBeCloseTo(0.012, 9);
    expect(otelPoints(collected, 'nestrdkafka.request.duration')[0]!.value).toMatchObject({ count: 1 });
    metrics.stop();
    await provider.shutdown();
  });
});

describe('optional peers', () => {
  it('prometheus: true without prom-client fails with MissingDependencyError naming the package', () => {
    expect(() => defaultPrometheusRegistry(notInstalled)).toThrow(MissingDependencyError);
    expect(() => defaultPrometheusRegistry(notInstalled)).toThrow(/npm install prom-client/);
  });

  it('openTelemetry without @opentelemetry/api exports nothing and fails nothing', () => {
    expect(globalMeterProvider(notInstalled)).toBeNull();
  });
});
