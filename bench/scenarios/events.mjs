// Scenario 2 (+4, +5): events consumed through Nest handlers from a pre-filled topic.
// argv: variant (ours | nest | raw), count per run, runs. The topic holds (runs + 1) * count records; run 0
// warms up, then each run is the next `count` records, so the group joins once and every run reads a backlog.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { ServerRdKafka } from '../../dist/index.js';
import { Kafka, bootstrap, createTopic, nestModule, prefill, report, uid } from '../lib.mjs';

const [variant, count, runs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const topic = `bench-events-${uid()}`;
const total = count * (runs + 1);
const marks = [];
let handled = 0;
let done;
const finished = new Promise((r) => { done = r; });

function onEvent() {
  handled++;
  if (handled % count === 0) marks.push(performance.now());
  if (handled === total) done();
}

async function nestApp(options) {
  const app = await NestFactory.createMicroservice(nestModule(topic, () => onEvent(), 'event'), { ...options, logger: ['error'] });
  await app.listen();
  return () => app.close();
}

const variants = {
  ours: () => nestApp({ strategy: new ServerRdKafka({
    client: { 'bootstrap.servers': bootstrap() },
    consumer: { 'group.id': `bench-${uid()}`, 'auto.offset.reset': 'earliest' },
    // The documented throughput settings: a larger batch per consume call.
    batchSize: Number(process.env.BENCH_BATCH ?? 1000),
    maxBufferedRecords: Number(process.env.BENCH_BUFFER ?? 5000),
  }) }),
  nest: () => nestApp({
    transport: Transport.KAFKA,
    options: { client: { brokers: bootstrap().split(','), clientId: 'bench', logLevel: 0 }, consumer: { groupId: `bench-${uid()}` }, subscribe: { fromBeginning: true } },
  }),
  async raw() {
    const c = new Kafka.KafkaConsumer({ 'bootstrap.servers': bootstrap(), 'group.id': `bench-${uid()}`, 'enable.auto.commit': true }, { 'auto.offset.reset': 'earliest' });
    await new Promise((r, j) => c.connect({}, (e) => (e ? j(e) : r())));
    c.subscribe([topic]);
    c.setDefaultConsumeTimeout(100);
    let stop = false;
    (async () => {
      while (!stop) {
        const msgs = await new Promise((r) => c.consume(1000, (e, m) => r(e ? [] : m)));
        // Decode as the transports do, so every variant does the same work per record.
        for (const m of msgs) { JSON.parse(m.value.toString()); onEvent(); }
      }
    })();
    return () => { stop = true; return new Promise((r) => c.disconnect(r)); };
  },
};

await createTopic(topic, 3);
await prefill(topic, total, 100);
global.gc?.();
const mem0 = process.memoryUsage();
const loop = monitorEventLoopDelay({ resolution: 5 });
const close = await variants[variant]();
let t0;
// The clock starts at the first handled record (group join and first fetch excluded).
while (handled === 0) await new Promise((r) => setTimeout(r, 1));
t0 = performance.now();
loop.enable();
await finished;
loop.disable();
const mem1 = process.memoryUsage();
await close();
const rates = [];
for (let r = 1; r <= runs; r++) rates.push(count / ((marks[r] - marks[r - 1]) / 1000));
report({
  scenario: 'events', variant, count, rates,
  firstWindowMs: marks[0] - t0,
  rssGrowthMb: (mem1.rss - mem0.rss) / 1048576,
  heapGrowthMb: (mem1.heapUsed - mem0.heapUsed) / 1048576,
  loopDelayP99Ms: loop.percentile(99) / 1e6,
});
process.exit(0);
