import { createServer } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { ClientRdKafka, ErrorCode, KafkaException, RdKafkaProducerService } from '../../../lib/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';

/** A port on 127.0.0.1 that nothing listens on: bound by the OS for us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** How long `p` took to reject, and with what. */
async function rejection(p: Promise<unknown>): Promise<{ err: KafkaException; ms: number }> {
  const t0 = Date.now();
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!(err instanceof KafkaException)) throw new Error(`expected a KafkaException, got ${String(err)}`);
  return { err, ms: Date.now() - t0 };
}

// librdkafka's own connect timeout, which these calls waited for before (then failing with a bare
// "broker transport failure").
const LIBRDKAFKA_CONNECT_MS = 30_000;

describe('an unreachable cluster is reported in time and says what failed', () => {
  let servers: string;
  const clients: ClientRdKafka[] = [];

  beforeAll(async () => {
    servers = `127.0.0.1:${await closedPort()}`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  function client(extra: { requestTimeoutMs?: number; connectTimeoutMs?: number; producerOnlyMode?: boolean }): ClientRdKafka {
    const c = new ClientRdKafka({ client: { 'bootstrap.servers': servers }, logger: new CaptureLogger(), ...extra });
    clients.push(c);
    return c;
  }

  function expectExplained(err: KafkaException, timeoutMs: number): void {
    expect(err.error.str()).toContain(`could not connect to ${servers} within ${timeoutMs} ms: `);
    expect(err.error.str()).toContain('Connection refused');
  }

  it('send() fails within requestTimeoutMs, connecting included', async () => {
    const { err, ms } = await rejection(
      lastValueFrom(client({ requestTimeoutMs: 2000, connectTimeoutMs: 5000 }).send('orders.get', { id: 1 })),
    );
    console.log(
      `send() to an unreachable cluster, requestTimeoutMs 2000: failed after ${ms} ms (was ${LIBRDKAFKA_CONNECT_MS}): ${err.message}`,
    );
    expect(ms).toBeLessThan(3500);
    expect(err.code).toBe(ErrorCode._TIMED_OUT);
    expectExplained(err, 2000);
  });

  it("connect() fails within connectTimeoutMs with librdkafka's code and the reason", async () => {
    const { err, ms } = await rejection(client({ connectTimeoutMs: 1500 }).connect());
    console.log(`connect(), connectTimeoutMs 1500: failed after ${ms} ms: ${err.message}`);
    expect(ms).toBeLessThan(3000);
    // The client layer names the most specific transport code librdkafka reported.
    expect([ErrorCode._TRANSPORT, ErrorCode._ALL_BROKERS_DOWN]).toContain(err.code);
    expectExplained(err, 1500);
  });

  it('emit() and emitBatch() fail within connectTimeoutMs, explained', async () => {
    const c = client({ connectTimeoutMs: 1500, producerOnlyMode: true });
    const emitted = await rejection(lastValueFrom(c.emit('orders.created', { id: 1 })));
    const batch = await rejection(lastValueFrom(c.emitBatch('orders.created', { messages: [{ id: 2 }] })));
    console.log(`emit(): failed after ${emitted.ms} ms, emitBatch(): after ${batch.ms} ms`);
    for (const { err, ms } of [emitted, batch]) {
      expect(ms).toBeLessThan(3000);
      expectExplained(err, 1500);
    }
  });

  it('RdKafkaProducerService fails its start and its emits within connectTimeoutMs, explained', async () => {
    const events = new RdKafkaProducerService({
      client: { 'bootstrap.servers': servers },
      logger: new CaptureLogger(),
      connectTimeoutMs: 1500,
    });
    try {
      const start = await rejection(events.onModuleInit());
      const emit = await rejection(events.emit('orders.created', { id: 1 }));
      console.log(`RdKafkaProducerService start: failed after ${start.ms} ms, emit(): after ${emit.ms} ms`);
      for (const { err, ms } of [start, emit]) {
        expect(ms).toBeLessThan(3000);
        expectExplained(err, 1500);
      }
    } finally {
      await events.close(100);
    }
  });
});
