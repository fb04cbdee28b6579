import { firstValueFrom } from 'rxjs';
import { ErrorCode, KafkaException } from '../../../../lib/errors/index.js';
import { FakeKafka, TestClientRdKafka, TestServerRdKafka } from '../../../../lib/testing/index.js';
import type { RdKafkaContext } from '../../../../lib/transport/context/rdkafka.context.js';
import { RdKafkaStatus } from '../../../../lib/transport/rdkafka-status.enum.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';
import { until } from '../helpers/wait.js';

const GROUP = 'nest-rdkafka-group-server';

function listen(server: TestServerRdKafka): Promise<void> {
  return new Promise((resolve, reject) => void server.listen((err) => (err ? reject(err) : resolve())));
}

describe('ServerRdKafka', () => {
  let kafka: FakeKafka;
  let logger: CaptureLogger;
  let server: TestServerRdKafka;
  let client: TestClientRdKafka | undefined;
  const events: { data: unknown; topic: string; offset: number }[] = [];

  beforeEach(() => {
    kafka = new FakeKafka().createTopic('orders', 1).createTopic('events', 1);
    logger = new CaptureLogger();
    events.length = 0;
    // A short commit interval keeps the commit assertions fast (the default is 1 s).
    server = new TestServerRdKafka(kafka, { client: {}, consumer: { 'auto.commit.interval.ms': 10 }, logger, closeTimeoutMs: 500 });
    server.addHandler(
      'orders',
      async (data: { n: number }) => {
        if (data.n < 0) throw new Error('negative');
        return { doubled: data.n * 2 };
      },
      false,
    );
    server.addHandler(
      'events',
      async (data: unknown, ctx?: RdKafkaContext) => {
        events.push({ data, topic: ctx!.getTopic(), offset: ctx!.getOffset() });
      },
      true,
    );
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await server.close();
  });

  async function connectedClient(): Promise<TestClientRdKafka> {
    client = new TestClientRdKafka(kafka, { client: {}, replyPartition: 0, requestTimeoutMs: 2000 });
    await client.connect();
    return client;
  }

  it('answers a request from ClientRdKafka end to end, and commits it', async () => {
    await listen(server);
    const c = await connectedClient();
    expect(await firstValueFrom(c.send('orders', { n: 21 }))).toEqual({ doubled: 42 });
    await until(() => kafka.committed(GROUP, 'orders', 0) === 1, 'the commit of the request');
  });

  it('runs an event handler with its context and commits after it', async () => {
    await listen(server);
    kafka.append('events', [{ value: '{"a":1}' }, { value: '{"a":2}' }]);
    await until(() => kafka.committed(GROUP, 'events', 0) === 2, 'both events committed');
    expect(events).toEqual([
      { data: { a: 1 }, topic: 'events', offset: 0 },
      { data: { a: 2 }, topic: 'events', offset: 1 },
    ]);
  });

  it("replies with the handler's error as kafka_nest-err, and the client fails with it", async () => {
    await listen(server);
    const c = await connectedClient();
    const err: unknown = await firstValueFrom(c.send('orders', { n: -1 })).catch((e: unknown) => e);
    expect(err).toEqual({ status: 'error', message: 'negative' });
  });

  it('subscribes to RegExp patterns and routes each matching topic to its handler', async () => {
    const seen: string[] = [];
    server.addHandler(
      /^audit\..+/,
      async (_d: unknown, ctx?: RdKafkaContext) => {
        seen.push(ctx!.getTopic());
      },
      true,
    );
    kafka.createTopic('audit.login', 1).createTopic('audit.logout', 1);
    await listen(server);
    kafka.append('audit.login', { value: '1' });
    kafka.append('audit.logout', { value: '2' });
    await until(() => seen.length === 2, 'both audit events');
    expect(seen.sort()).toEqual(['audit.login', 'audit.logout']);
  });

  it("answers a reply that cannot be delivered with an error reply, and logs it with the reply topic and the request's place", async () => {
    await listen(server);
    const c = await connectedClient();
    kafka.inject('delivery', ErrorCode.MSG_SIZE_TOO_LARGE, { topic: 'orders.reply' });
    const err: unknown = await firstValueFrom(c.send('orders', { n: 1 })).catch((e: unknown) => e);
    expect(err).toEqual({ status: 'error', message: expect.stringMatching(/not sent: .*MSG_SIZE_TOO_LARGE/) });
    await until(() => logger.of('error', 'ServerRdKafka').length > 0, 'the error line');
    expect(logger.of('error', 'ServerRdKafka')[0]!.message).toMatch(
      /^Reply for correlation id \S+ to "orders\.reply"\["0"\] not sent: .*too large.* \(request orders\[0\]@0\); the caller got an error reply$/i,
    );
  });

  it("runs an event handler between Nest's processing hooks", async () => {
    const order: string[] = [];
    server.setOnProcessingStartHook((_t, _ctx, done) => {
      order.push('start');
      void done();
    });
    server.setOnProcessingEndHook(() => {
      order.push('end');
    });
    server.addHandler(
      'hooked',
      async () => {
        order.push('handler');
      },
      true,
    );
    kafka.createTopic('hooked', 1);
    await listen(server);
    kafka.append('hooked', { value: '1' });
    await until(() => order.length === 3, 'start, handler, end');
    expect(order).toEqual(['start', 'handler', 'end']);
  });

  it('server.resume() restarts a partition the stop policy paused, at the failed record', async () => {
    let failing = true;
    const seen: number[] = [];
    const stopping = new TestServerRdKafka(kafka, {
      client: {},
      logger,
      errorPolicy: { mode: 'stop' },
      consumer: { 'group.id': 'stopper' },
    });
    stopping.addHandler(
      'events',
      async (_d: unknown, ctx?: RdKafkaContext) => {
        seen.push(ctx!.getOffset());
        if (failing) throw new Error('not yet');
      },
      true,
    );
    await listen(stopping);
    kafka.append('events', { value: '1' });
    await until(() => kafka.consumers[0]!.isPaused('events', 0), 'the stop');
    failing = false;
    stopping.resume('events', 0);
    await until(() => seen.length === 2, 'the retry after resume');
    expect(seen).toEqual([0, 0]);
    await stopping.close();
  });

  it("logs an asynchronous commit the broker refused and commits its offsets again; the application's on_commit still gets each result", async () => {
    const results: (number | null)[] = [];
    const committing = new TestServerRdKafka(kafka, {
      client: {},
      logger,
      consumer: { 'group.id': 'committer', 'auto.commit.interval.ms': 10, on_commit: (err) => results.push(err?.code ?? null) },
    });
    committing.addHandler('events', async () => undefined, true);
    kafka.inject('commit', ErrorCode.COORDINATOR_NOT_AVAILABLE);
    try {
      await listen(committing);
      kafka.append('events', { value: '1' });
      await until(
        () => kafka.committed('committer-server', 'events', 0) === 1 && results.length >= 2,
        'the commit after the refused one, reported',
      );
      expect(logger.of('warn', 'ServerRdKafka').map((l) => l.message)).toEqual([
        expect.stringMatching(
          /^Commit of TopicPartition\{topic=events,partition=0,offset=1\} failed: .*COORDINATOR_NOT_AVAILABLE.*; kept for the next commit$/,
        ),
      ]);
      expect(results.slice(0, 2)).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE, null]);
    } finally {
      await committing.close();
    }
  });

  it("on() is not supported, as on Nest's Kafka server", () => {
    expect(() => server.on()).toThrow('Method is not supported for rdkafka server');
  });

  it('a failed listen() reports the error, status crashed', async () => {
    kafka.inject('connect', ErrorCode._TRANSPORT);
    const statuses: string[] = [];
    server.status.subscribe((s) => statuses.push(s));
    const err: unknown = await listen(server).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaException);
    expect((err as KafkaException).error.code).toBe(ErrorCode._TRANSPORT);
    expect(statuses).toContain(RdKafkaStatus.CRASHED);
  });

  it('close() leaves the group, disconnects, and ends stopped; unwrap() then throws', async () => {
    await listen(server);
    expect(server.unwrap<unknown[]>()).toHaveLength(2);
    const statuses: string[] = [];
    server.status.subscribe((s) => statuses.push(s));
    await server.close();
    expect([...kafka.consumers, ...kafka.producers].map((x) => x.isConnected())).toEqual([false, false]);
    expect(statuses.at(-1)).toBe(RdKafkaStatus.STOPPED);
    expect(() => server.unwrap()).toThrow('Not initialized');
  });
});
