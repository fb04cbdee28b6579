// The ceiling: librdkafka's own C tool, rdkafka_performance (bench/rdkafka-performance.mjs builds it from the
// node-rdkafka package), on the same broker and with the same librdkafka properties as the JS variants.
// argv: mode (produce | consume), value size, count per window, windows. One tool process per window after a
// warm-up window; the rate is the tool's own figure (produce: first produce to last delivery report, connecting
// included; consume: first message to the count-th, the group join left out).
import { spawnSync } from 'node:child_process';
import { ensureRdkafkaPerformance } from '../rdkafka-performance.mjs';
import { bootstrap, createTopic, report, uid } from '../lib.mjs';

const [mode, size, count, windows] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const tool = ensureRdkafkaPerformance();
if (tool.error) {
  console.error(tool.error);
  process.exit(1);
}
const topic = `bench-librdkafka-${mode}-${uid()}`;

// produce.mjs's RD_CONF (acks=all with -a -1), overrides included.
const PRODUCE_CONF = {
  'enable.idempotence': process.env.BENCH_IDEMPOTENCE !== 'false',
  'linger.ms': Number(process.env.BENCH_LINGER ?? 5),
  'batch.num.messages': Number(process.env.BENCH_BATCH_MSGS ?? 10000),
  'queue.buffering.max.messages': 500000,
};
// events.mjs's consumer properties. The tool sets queued.min.messages 1000000 for itself; librdkafka's default
// (100000), which the JS variants run with, keeps the comparison about the client and not the prefetch depth.
const CONSUME_CONF = {
  'fetch.queue.backoff.ms': 100,
  'queued.min.messages': 100000,
  ...JSON.parse(process.env.BENCH_CONSUMER_CONF ?? '{}'),
};

const props = (conf) => Object.entries(conf).flatMap(([k, v]) => ['-X', `${k}=${v}`]);

/** One run of the tool; its summary line's msgs/s. */
function run(args, as = mode) {
  const r = spawnSync(tool.path, ['-b', bootstrap(), '-t', topic, '-q', ...args], { encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const m = /(\d+) (?:messages produced|messages \(\d+ bytes\) consumed).*? in (\d+)ms: (\d+) msgs\/s/.exec(out);
  if (r.status !== 0 || !m) throw new Error(`rdkafka_performance ${args.join(' ')} failed (exit ${r.status}):\n${out.slice(-800)}`);
  const expected = as === 'produce' ? Number(args[args.indexOf('-c') + 1]) : count;
  if (as === 'produce') {
    const delivered = /(\d+) delivered \(offset -?\d+, (\d+) failed\)/.exec(out);
    if (!delivered || Number(delivered[1]) !== expected || delivered[2] !== '0')
      throw new Error(`not every message delivered:\n${out.slice(-800)}`);
  } else if (Number(m[1]) < count) throw new Error(`consumed ${m[1]} of ${count}:\n${out.slice(-800)}`);
  return Number(m[3]);
}

await createTopic(topic, 3);
// Consume reads a backlog twice the window, so no partition runs dry before the count is reached; the tool
// writes it (keyless: the sticky partitioner spreads it over the partitions).
if (mode === 'consume') run(['-P', '-s', String(size), '-c', String(2 * count), '-a', '-1', ...props(PRODUCE_CONF)], 'produce');
const rates = [];
for (let w = 0; w <= windows; w++) {
  const rate =
    mode === 'produce'
      ? run(['-P', '-s', String(size), '-c', String(count), '-a', '-1', ...props(PRODUCE_CONF)])
      : run(['-C', '-G', `bench-${uid()}`, '-B', '1000', '-c', String(count), ...props(CONSUME_CONF)]);
  if (w > 0) rates.push(rate);
}
report({ scenario: mode, variant: 'librdkafka', size, count, rates });
process.exit(0);
