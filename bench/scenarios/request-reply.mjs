// Scenario 3: request-reply at several concurrencies. argv: variant (ours | nest), requests per run, runs,
// concurrencies (comma-separated). Server and client run in this one process, for both variants.
import { NestFactory } from '@nestjs/core';
import { ClientKafka, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { ClientRdKafka, ServerRdKafka } from '../../dist/esm/index.js';
import { bootstrap, createTopic, nestModule, percentile, report, uid } from '../lib.mjs';

const [variant, requests, runs, levels] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
  process.argv[5].split(',').map(Number),
];
const topic = `bench-rpc-${uid()}`;
const brokers = bootstrap().split(',');

// Tuning sweeps: BENCH_LINGER sets linger.ms on both of our producers, BENCH_FETCH_WAIT fetch.wait.max.ms on
// both consumers, BENCH_SERVER_CONCURRENCY the server's concurrency (or `default`), and BENCH_CONF any librdkafka
// properties as JSON, `{ "producer": {...}, "consumer": {...} }` for both sides, or under "server" / "client" for
// one (`{ "server": { "producer": { "linger.ms": 0 } } }`).
const extra = JSON.parse(process.env.BENCH_CONF ?? '{}');
const producerConf = {
  ...(process.env.BENCH_LINGER ? { 'linger.ms': Number(process.env.BENCH_LINGER) } : {}),
  ...extra.producer,
};
const fetchConf = {
  ...(process.env.BENCH_FETCH_WAIT ? { 'fetch.wait.max.ms': Number(process.env.BENCH_FETCH_WAIT) } : {}),
  ...extra.consumer,
};

async function setup() {
  const module = nestModule(topic, (d) => ({ n: d.n, ok: true }), 'message');
  if (variant === 'ours') {
    const server = await NestFactory.createMicroservice(module, {
      strategy: new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrap() },
        consumer: { 'group.id': `bench-${uid()}`, ...fetchConf, ...extra.server?.consumer },
        producer: { ...producerConf, ...extra.server?.producer },
        // orderBy 'key' so that keyless requests of one partition run at once; BENCH_SERVER_CONCURRENCY=default
        // measures the transport's defaults (one handler per partition) instead.
        ...(process.env.BENCH_SERVER_CONCURRENCY === 'default'
          ? {}
          : { concurrency: Number(process.env.BENCH_SERVER_CONCURRENCY ?? 64), orderBy: 'key' }),
      }),
      logger: ['error'],
    });
    await server.listen();
    const client = new ClientRdKafka({
      client: { 'bootstrap.servers': bootstrap() },
      producer: { ...producerConf, ...extra.client?.producer },
      consumer: { ...fetchConf, ...extra.client?.consumer },
      requestTimeoutMs: 30_000,
    });
    await client.connect();
    return {
      client,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  }
  const server = await NestFactory.createMicroservice(module, {
    transport: Transport.KAFKA,
    options: { client: { brokers, clientId: 'bench-s', logLevel: 0 }, consumer: { groupId: `bench-${uid()}` } },
    logger: ['error'],
  });
  await server.listen();
  const client = new ClientKafka({ client: { brokers, clientId: 'bench-c', logLevel: 0 }, consumer: { groupId: `bench-c-${uid()}` } });
  client.subscribeToResponseOf(topic);
  await client.connect();
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

async function runAt(client, concurrency) {
  const latencies = [];
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const n = next++;
      const t = performance.now();
      await firstValueFrom(client.send(topic, { n }));
      latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  latencies.sort((a, b) => a - b);
  // CPU of this process (client and server, JS and librdkafka threads) per request; the broker's is not in it.
  const cpuUsPerReq = (cpu.user + cpu.system) / requests;
  return { rate: requests / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuUsPerReq };
}

// Bounded: a stuck reply path fails the scenario instead of hanging the suite.
setTimeout(() => {
  console.error(`request-reply ${variant}: not finished after 300 s`);
  process.exit(1);
}, 300_000).unref();
await createTopic(topic, 3);
await createTopic(`${topic}.reply`, 3);
const { client, close } = await setup();
await runAt(client, 4); // warm-up: group joined, reply path assigned, code hot
const results = {};
for (const c of levels) {
  const samples = [];
  for (let r = 0; r <= runs; r++) {
    const s = await runAt(client, c);
    if (r > 0) samples.push(s);
  }
  results[c] = samples;
}
await close();
report({ scenario: 'request-reply', variant, requests, results });
process.exit(0);
