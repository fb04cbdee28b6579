// Scenario 1: produce throughput, acks=all. argv: variant (ours | raw | kafkajs), value size, count, runs.
import { Kafka as KafkaJs, logLevel } from 'kafkajs';
// BENCH_DIST points at another build of the package (experiments with a patched copy).
const { Producer, QueueFullError } = await import(process.env.BENCH_DIST ?? '../../dist/esm/index.js');
import { Kafka, bootstrap, createTopic, report, sleep, uid } from '../lib.mjs';

const [variant, size, count, runs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const topic = `bench-produce-${uid()}`;
const value = Buffer.alloc(size, 'v');
// The same librdkafka tuning for ours and raw: what the README recommends for throughput. BENCH_LINGER and
// BENCH_BATCH_MSGS override linger.ms and batch.num.messages for tuning sweeps. Idempotence is our Producer's
// default (it keeps per-key order when a leader moves); raw gets it explicitly so the two compare like for like
// (BENCH_IDEMPOTENCE=false measures both without). kafkajs runs with its own default, as Nest's transport does.
const RD_CONF = {
  'bootstrap.servers': bootstrap(),
  acks: 'all',
  'enable.idempotence': process.env.BENCH_IDEMPOTENCE !== 'false',
  'linger.ms': Number(process.env.BENCH_LINGER ?? 5),
  'batch.num.messages': Number(process.env.BENCH_BATCH_MSGS ?? 10000),
  'queue.buffering.max.messages': 500000,
};

async function ours() {
  const p = new Producer(RD_CONF, { pollIntervalMs: Number(process.env.BENCH_POLL_MS ?? 2) });
  await p.connect();
  return {
    async run() {
      for (let i = 0; i < count; i++) {
        for (;;) {
          try {
            p.produce(topic, value, null);
            break;
          } catch (e) {
            if (!(e instanceof QueueFullError)) throw e;
            await p.poll(10);
          }
        }
      }
      if ((await p.flush(60_000)) !== 0) throw new Error('undelivered messages');
    },
    close: () => p.close(),
  };
}

async function raw() {
  const p = new Kafka.Producer({ ...RD_CONF, dr_cb: true });
  await new Promise((r, j) => p.connect({}, (e) => (e ? j(e) : r())));
  p.setPollInterval(5);
  let reported = 0;
  p.on('delivery-report', () => {
    reported++;
  });
  return {
    async run() {
      const target = reported + count;
      for (let i = 0; i < count; i++) {
        for (;;) {
          try {
            p.produce(topic, null, value, null);
            break;
          } catch {
            p.poll();
            await sleep(10);
          }
        }
      }
      await new Promise((r) => p.flush(60_000, r));
      while (reported < target) await sleep(2);
    },
    close: () => new Promise((r) => p.disconnect(r)),
  };
}

async function kafkajs() {
  const kafka = new KafkaJs({ clientId: 'bench', brokers: bootstrap().split(','), logLevel: logLevel.NOTHING });
  const p = kafka.producer();
  await p.connect();
  const BATCH = 1000;
  const CONCURRENCY = 4;
  return {
    async run() {
      let next = 0;
      const worker = async () => {
        while (next < count) {
          const n = Math.min(BATCH, count - next);
          next += n;
          await p.send({ topic, acks: -1, messages: Array.from({ length: n }, () => ({ value })) });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    },
    close: () => p.disconnect(),
  };
}

await createTopic(topic, 3);
const client = await { ours, raw, kafkajs }[variant]();
// Bounded: a stalled producer fails the scenario instead of hanging the suite.
setTimeout(() => {
  console.error(`produce ${variant}: not finished after 300 s`);
  process.exit(1);
}, 300_000).unref();
const rates = [];
// CPU time of the whole process (JS thread and librdkafka's threads) per message.
const cpuUsPerMsg = [];
let usStart = 0n;
for (let r = 0; r <= runs; r++) {
  if (r === 1) usStart = process.hrtime.bigint() / 1000n;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await client.run();
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  if (r > 0) {
    // run 0 warms up
    rates.push(count / s);
    cpuUsPerMsg.push((c.user + c.system) / count);
  }
}
const usEnd = process.hrtime.bigint() / 1000n;
await client.close();
report({ scenario: 'produce', variant, size, count, rates, cpuUsPerMsg, windowUs: [String(usStart), String(usEnd)] });
process.exit(0);
