#!/usr/bin/env node
// The transport's own cost per event, without Kafka: in-memory records go through ServerRdKafka's consume loop
// (ordering lanes, offset bookkeeping, parse, context, error policy, Nest's handler pipeline) from a fake
// consumer that hands out pre-built batches, so broker, network and librdkafka are out of the picture and
// the figure moves little with other load. Compared with the same records through Nest's pipeline alone and a
// plain JSON.parse loop. CPU µs per event, median of 5 runs after a warm-up.
// Usage: node bench/tools/transport-overhead.mjs [events per run = 200000] [dist = ../../dist/esm]
// It builds the loop from the ESM build's internal modules (server-consume-loop.js …), with the server's own
// handler watchdog: a tool for the transport's developers, tied to that layout (run `npm run build` first).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { Server } from '@nestjs/microservices';
import { nestModule } from '../lib.mjs';

const N = Number(process.argv[2] ?? 200_000);
const dist = path.resolve(process.argv[3] ?? new URL('../../dist/esm', import.meta.url).pathname);
const load = (p) => import(pathToFileURL(path.join(dist, p)).href);
const { ServerRdKafka, RdKafkaContext } = await load('index.js');
const { Message } = await load('client/message.js');
const { ServerConsumeLoop } = await load('transport/server/server-consume-loop.js');
const { RecordDispatcher } = await load('transport/server/record-dispatcher.js');
const { RdKafkaParser } = await load('transport/serdes/rdkafka.parser.js');
const { DEFAULT_HANDLER_ERROR_POLICY } = await load('transport/server/handler-error.policy.js');

const TOPIC = 'overhead';
const BATCH = 500;
const values = Array.from({ length: 64 }, (_, i) => Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(70) })));
const keys = Array.from({ length: 64 }, (_, i) => Buffer.from(`k${i}`));
const batchAt = (from) =>
  Array.from({ length: BATCH }, (_, j) => {
    const o = from + j;
    return new Message({
      topic: TOPIC,
      partition: o % 3,
      offset: Math.floor(o / 3),
      key: keys[o % 64],
      value: values[o % 64],
      timestamp: [1, Date.now()],
    });
  });

/** A Consumer with the calls the loop makes; batches are built ahead so their cost is not measured. */
function fakeConsumer(batches) {
  let i = 0;
  return {
    subscribe() {},
    commit: async () => [],
    pause() {},
    resume() {},
    seek: async () => undefined,
    consumeBatch: async () => (i < batches.length ? batches[i++] : new Promise((r) => setTimeout(() => r([]), 5))),
  };
}

const logger = {
  log() {},
  error(...a) {
    console.error(...a);
  },
  warn(...a) {
    console.error(...a);
  },
  debug() {},
  verbose() {},
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function measure(name, runOnce) {
  const cpu = [];
  const from = process.hrtime.bigint() / 1000n;
  for (let r = 0; r <= 5; r++) {
    const c0 = process.cpuUsage();
    await runOnce();
    const c = process.cpuUsage(c0);
    if (r > 0) cpu.push((c.user + c.system) / N);
  }
  // windowUs: for bench/tools/profile-summary.mjs when run under --cpu-prof.
  const windowUs = `${from} ${process.hrtime.bigint() / 1000n}`;
  console.log(
    `${name.padEnd(44)} ${median(cpu).toFixed(2).padStart(6)} µs/event  (${cpu.map((x) => x.toFixed(2)).join(' ')})  windowUs ${windowUs}`,
  );
  return median(cpu);
}

// 1. JSON.parse per record, what the raw node-rdkafka loop of the bench does in JS.
const plain = batchAt(0);
await measure('JSON.parse only (raw loop JS work)', async () => {
  for (let i = 0; i < N; i++) JSON.parse(plain[i % BATCH].value.toString());
});

// 2. Nest's pipeline alone: the registered handler called with a context, awaited one by one.
let handled = 0;
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
const app1 = await NestFactory.createMicroservice(
  nestModule(
    TOPIC,
    () => {
      handled++;
    },
    'event',
  ),
  { strategy: capture, logger: false },
);
await app1.listen();
const nestHandler = capture.getHandlerByPattern(TOPIC);
await measure('Nest handler pipeline alone (await each)', async () => {
  for (let i = 0; i < N; i++)
    await nestHandler(JSON.parse(plain[i % BATCH].value.toString()), new RdKafkaContext([{}, plain[i % BATCH], null, null, null]));
});
await app1.close();

// 3. The whole server path from consumeBatch() to the handler and the stored offset.
for (const concurrency of [1, 16]) {
  let target = 0;
  let wake = null;
  const server = new ServerRdKafka({ client: {}, concurrency, logger });
  const app = await NestFactory.createMicroservice(
    nestModule(
      TOPIC,
      () => {
        if (++handled >= target) wake?.();
      },
      'event',
    ),
    { strategy: server, logger: false },
  );
  await app.init();
  const dispatcher = new RecordDispatcher(server.dispatchTarget(), {
    parser: new RdKafkaParser({}),
    logger,
    policy: DEFAULT_HANDLER_ERROR_POLICY,
    maxValueBytes: Infinity,
    signal: new AbortController().signal,
    // The server's own (private in TypeScript): the handler time limits of the defaults, as in production.
    watchdog: server.watchdog,
  });
  let offsetBase = 0;
  await measure(`ServerRdKafka consume loop, concurrency ${concurrency}`, async () => {
    const batches = [];
    for (let from = offsetBase; from < offsetBase + N; from += BATCH) batches.push(batchAt(from));
    offsetBase += N;
    const consumer = fakeConsumer(batches);
    server.consumer = consumer;
    const loop = new ServerConsumeLoop(consumer, dispatcher, {
      concurrency,
      byKey: true,
      batchSize: BATCH,
      maxBuffered: Math.max(1000, 4 * concurrency),
      manualCommit: false,
      drainTimeoutMs: 1000,
      commitIntervalMs: 1000,
      logger,
      groupId: 'overhead',
      onStatus() {},
    });
    server.loop = loop;
    handled = 0;
    target = N;
    const done = new Promise((r) => {
      wake = r;
    });
    await loop.start([TOPIC]);
    await done;
    await loop.stop();
  });
  server.loop = null;
  server.consumer = null;
  await app.close();
}
process.exit(0);
