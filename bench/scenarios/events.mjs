// Scenario 2 (+4, +5): events consumed through Nest handlers from a pre-filled topic.
// argv: variant (ours | ours-batch | ours+metrics | nest | raw | raw+nest), count per run, runs. ours-batch is ours
// with a batch handler (`{ batch: true }`, the default bounds): one handler call per batch of a partition's records.
// ours+metrics is ours with every metric on: a prom-client registry and an OpenTelemetry SDK MeterProvider
// (collected every 5 s, as a scrape would), librdkafka statistics every 5 s (the default). raw+nest is the floor for any transport
// that runs Nest's pipeline: the raw loop calling the Nest handler (guards, pipes, interceptors, filters) of each
// record in turn, with no offsets, ordering or error handling of its own. The topic holds (runs + 2) * count records: window 0
// warms up, windows 1..runs are measured, the last window is read but not measured (at the end of a pre-filled
// topic the partitions run dry one after another, so its rate says more about key skew than about the
// consumer). The group joins once and every measured window reads a backlog.
// Memory (scenario 4) is sampled from the first handled record to the last measured one; event-loop delay
// (scenario 5) over the same span.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { Server, Transport } from '@nestjs/microservices';
// BENCH_DIST points at another build of the package (experiments with a patched copy).
const { RdKafkaContext, ServerRdKafka } = await import(process.env.BENCH_DIST ?? '../../dist/esm/index.js');
import { Kafka, bootstrap, createTopic, nestModule, prefill, report, uid } from '../lib.mjs';
import { setupTracing, tracingMode, tracingOption } from '../tracing.mjs';

await setupTracing();

const [variant, count, runs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const topic = `bench-events-${uid()}`;
const total = count * (runs + 2);
const marks = [];
let handled = 0;
let done;
const cpuMarks = [];
const finished = new Promise((r) => {
  done = r;
});

function onEvent() {
  handled++;
  if (handled % count === 0) {
    marks.push(performance.now());
    cpuMarks.push(process.cpuUsage());
  }
  if (handled === total) done();
}

async function nestApp(options, kind = 'event') {
  const handler = kind === 'batch' ? (values) => values.forEach(() => onEvent()) : () => onEvent();
  const app = await NestFactory.createMicroservice(nestModule(topic, handler, kind), { ...options, logger: ['error'] });
  await app.listen();
  return () => app.close();
}

// librdkafka consumer properties for ours and raw alike. fetch.queue.backoff.ms 100 (librdkafka's default is
// 1000, Confluent's perf test uses 100): with the default, a consumer that drains its local queue faster than
// the fetcher refills it above queued.min.messages waits up to a second for the next fetch, and the raw loop
// ran at about 105 k instead of 180-200 k msg/s on a 700 k backlog. BENCH_CONSUMER_CONF (JSON) adds or
// overrides properties for tuning sweeps.
const consumerConf = { 'fetch.queue.backoff.ms': 100, ...JSON.parse(process.env.BENCH_CONSUMER_CONF ?? '{}') };

/** A node-rdkafka consumer in the group, subscribed, with the bench's consumer properties. */
async function rawConsumer() {
  const c = new Kafka.KafkaConsumer(
    { 'bootstrap.servers': bootstrap(), 'group.id': `bench-${uid()}`, 'enable.auto.commit': true, ...consumerConf },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise((r, j) => c.connect({}, (e) => (e ? j(e) : r())));
  c.subscribe([topic]);
  c.setDefaultConsumeTimeout(100);
  return c;
}

/** The raw consume loop: `each` gets every message of a batch, in order (awaited when it returns a promise). */
function rawLoop(c, each) {
  let stop = false;
  (async () => {
    while (!stop) {
      const msgs = await new Promise((r) => c.consume(1000, (e, m) => r(e ? [] : m)));
      for (const m of msgs) {
        const pending = each(m);
        if (pending) await pending;
      }
    }
  })();
  return () => {
    stop = true;
    return new Promise((r) => c.disconnect(r));
  };
}

/** The metrics option of ours+metrics: both exporters live, as in an application that has both. */
async function allMetrics() {
  const { Registry } = await import('prom-client');
  const { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } =
    await import('@opentelemetry/sdk-metrics');
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 5000 });
  const registry = new Registry();
  // A Prometheus scrape every 5 s too.
  setInterval(() => void registry.metrics(), 5000).unref();
  // BENCH_METRICS=prometheus leaves OpenTelemetry out (its SDK's histogram record is the costly part).
  const otel = process.env.BENCH_METRICS === 'prometheus' ? false : new MeterProvider({ readers: [reader] });
  return { prometheus: registry, openTelemetry: otel };
}

/** Our server with the transport's defaults (BENCH_* override them for sweeps), plus `extra` options. */
function ourServer(extra = {}) {
  return new ServerRdKafka({
    client: { 'bootstrap.servers': bootstrap() },
    consumer: { 'group.id': `bench-${uid()}`, 'auto.offset.reset': 'earliest', ...consumerConf },
    // The transport's defaults (batchSize 250, maxBufferedRecords 500, concurrency 16 by partition); BENCH_* override them
    // for sweeps. Larger buffers were slower: 1000/5000 kept thousands of records alive across young-generation
    // collections, and promoting them made GC 19 % of the main thread instead of 7 %.
    ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}),
    ...(process.env.BENCH_BUFFER ? { maxBufferedRecords: Number(process.env.BENCH_BUFFER) } : {}),
    ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
    ...tracingOption,
    ...extra,
  });
}

const variants = {
  ours: () => nestApp({ strategy: ourServer() }),
  'ours-batch': () => nestApp({ strategy: ourServer() }, 'batch'),
  'ours+metrics': async () => nestApp({ strategy: ourServer({ metrics: await allMetrics() }) }),
  nest: () =>
    nestApp({
      transport: Transport.KAFKA,
      options: {
        client: { brokers: bootstrap().split(','), clientId: 'bench', logLevel: 0 },
        consumer: { groupId: `bench-${uid()}` },
        subscribe: { fromBeginning: true },
      },
    }),
  async raw() {
    // Decode as the transports do, so every variant does the same work per record.
    return rawLoop(await rawConsumer(), (m) => {
      JSON.parse(m.value.toString());
      onEvent();
    });
  },
  async 'raw+nest'() {
    // Nest's handler for the topic, registered through a do-nothing strategy (the way any transport gets it).
    class Capture extends Server {
      listen(cb) {
        cb();
      }
      close() {}
      on() {}
      unwrap() {
        return null;
      }
    }
    const capture = new Capture();
    const app = await NestFactory.createMicroservice(
      nestModule(topic, () => onEvent(), 'event'),
      { strategy: capture, logger: ['error'] },
    );
    await app.listen();
    const handler = capture.getHandlerByPattern(topic);
    const stop = rawLoop(await rawConsumer(), (m) =>
      handler(JSON.parse(m.value.toString()), new RdKafkaContext([null, m, null, null, null])),
    );
    return async () => {
      await stop();
      await app.close();
    };
  },
};

await createTopic(topic, 3);
await prefill(topic, total, 100);
global.gc?.();
const loop = monitorEventLoopDelay({ resolution: 5 });
const close = await variants[variant]();
// The clock starts at the first handled record (group join and first fetch excluded).
while (handled === 0) await new Promise((r) => setTimeout(r, 1));
const t0 = performance.now();
const usStart = process.hrtime.bigint() / 1000n;
const memStart = process.memoryUsage();

const peak = { rss: memStart.rss, heapUsed: memStart.heapUsed };
const sampler = setInterval(() => {
  sample(process.memoryUsage());
}, 20);
function sample(m) {
  peak.rss = Math.max(peak.rss, m.rss);
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
}
loop.enable();
// Bounded: a stuck consumer fails the scenario instead of hanging the suite.
const timeout = setTimeout(() => {
  console.error(`events ${variant}: ${handled}/${total} handled after 300 s`);
  process.exit(1);
}, 300_000);
while (marks.length < runs + 1) await new Promise((r) => setTimeout(r, 5));
loop.disable();
clearInterval(sampler);
const memEnd = process.memoryUsage();
sample(memEnd);
const usEnd = process.hrtime.bigint() / 1000n;
await finished;
clearTimeout(timeout);
await close();
const rates = [];
// CPU time of the whole process (JS thread, librdkafka's threads, GC) per event: steadier than wall time on a
// shared machine.
const cpuUsPerMsg = [];
for (let r = 1; r <= runs; r++) {
  rates.push(count / ((marks[r] - marks[r - 1]) / 1000));
  const d = { user: cpuMarks[r].user - cpuMarks[r - 1].user, system: cpuMarks[r].system - cpuMarks[r - 1].system };
  cpuUsPerMsg.push((d.user + d.system) / count);
}
const mb = (b) => b / 1048576;
report({
  scenario: 'events',
  variant,
  tracing: tracingMode,
  count,
  rates,
  cpuUsPerMsg,
  warmupMs: marks[0] - t0,
  rssStartMb: mb(memStart.rss),
  rssGrowthMb: mb(memEnd.rss - memStart.rss),
  rssPeakGrowthMb: mb(peak.rss - memStart.rss),
  heapGrowthMb: mb(memEnd.heapUsed - memStart.heapUsed),
  heapPeakGrowthMb: mb(peak.heapUsed - memStart.heapUsed),
  loopDelayP99Ms: loop.percentile(99) / 1e6,
  loopDelayMaxMs: loop.max / 1e6,
  windowUs: [String(usStart), String(usEnd)],
});
process.exit(0);
