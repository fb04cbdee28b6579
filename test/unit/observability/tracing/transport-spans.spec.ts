import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { firstValueFrom } from 'rxjs';
import { FakeKafka, TestClientRdKafka, TestServerRdKafka } from '../../../../lib/testing/index.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';
import { type InMemoryOtel, parentIdOf, registerInMemoryOtel } from '../../../integration/helpers/in-memory-otel.js';
import { until } from '../../transport/helpers/wait.js';

function listen(server: TestServerRdKafka): Promise<void> {
  return new Promise((resolve, reject) => void server.listen((err) => (err ? reject(err) : resolve())));
}

// The transport's spans on FakeKafka: the real server, client and client layer, in milliseconds.
describe('spans of ServerRdKafka and ClientRdKafka (FakeKafka, OpenTelemetry SDK)', () => {
  let otel: InMemoryOtel;
  let kafka: FakeKafka;
  let server: TestServerRdKafka;
  let client: TestClientRdKafka | undefined;
  let attempts = 0;
  let tenant: string | undefined;

  async function start(tracing?: boolean): Promise<TestClientRdKafka> {
    server = new TestServerRdKafka(kafka, {
      client: {},
      logger: new CaptureLogger(),
      errorPolicy: { mode: 'retry', retries: 1, initialBackoffMs: 1 },
      tracing,
    });
    server.addHandler('orders', async (d: { n: number }) => {
      if (d.n < 0) throw new RangeError('negative');
      return { r: d.n * 2 };
    });
    server.addHandler(
      'events',
      async (d: { failTimes: number }) => {
        tenant = propagation.getBaggage(context.active())?.getEntry('tenant')?.value;
        if (attempts++ < d.failTimes) throw new TypeError(`attempt ${attempts}`);
      },
      true,
    );
    await listen(server);
    client = new TestClientRdKafka(kafka, { client: {}, replyPartition: 0, requestTimeoutMs: 2000, tracing });
    await client.connect();
    return client;
  }

  beforeEach(() => {
    otel = registerInMemoryOtel();
    kafka = new FakeKafka().createTopic('orders', 1).createTopic('orders.reply', 1).createTopic('events', 1);
    attempts = 0;
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await server?.close();
    await otel.shutdown();
  });

  it('an event handler that fails for good: its process span is ERROR with each attempt an exception event', async () => {
    const c = await start();
    await firstValueFrom(c.emit('events', { failTimes: 5 }));
    await until(() => otel.spans('process events').length === 1, 'the process span');
    const [span] = otel.spans('process events');
    expect(span!.kind).toBe(SpanKind.CONSUMER);
    expect(parentIdOf(span!)).toBe(otel.spans('send events')[0]!.spanContext().spanId);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
    expect(span!.events.filter((e) => e.name === 'exception')).toHaveLength(2);
  });

  it('an event handler that succeeds on its retry: the process span is OK', async () => {
    const c = await start();
    await firstValueFrom(c.emit('events', { failTimes: 1 }));
    await until(() => otel.spans('process events').length === 1, 'the process span');
    expect(otel.spans('process events')[0]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempts).toBe(2);
  });

  it("baggage set by the caller reaches the handler's context through the record's headers", async () => {
    const c = await start();
    const withTenant = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'acme' } }));
    await context.with(withTenant, () => firstValueFrom(c.emit('events', { failTimes: 0 })));
    await until(() => attempts === 1, 'the event handled');
    expect(tenant).toBe('acme');
    expect(kafka.records('events')[0]!.headers.map(([name, v]) => [name, v.toString()])).toContainEqual(['baggage', 'tenant=acme']);
  });

  it('a request answered with an error reply fails both its process span and the request span', async () => {
    const c = await start();
    await expect(firstValueFrom(c.send('orders', { n: -1 }))).rejects.toEqual({ status: 'error', message: 'negative' });
    await until(() => otel.spans('process orders').length === 1, 'the process span');
    expect(otel.spans('process orders')[0]!.status.code).toBe(SpanStatusCode.ERROR);
    const [request] = otel.spans('request orders');
    expect(request!.status.code).toBe(SpanStatusCode.ERROR);
    expect(parentIdOf(otel.spans('process orders')[0]!)).toBe(otel.spans('send orders')[0]!.spanContext().spanId);
  });

  it('tracing: false on both sides: no span and no trace header, with a provider registered', async () => {
    const c = await start(false);
    expect(await firstValueFrom(c.send('orders', { n: 2 }))).toEqual({ r: 4 });
    await firstValueFrom(c.emit('events', { failTimes: 0 }));
    await until(() => attempts === 1, 'the event handled');
    expect(otel.spans()).toEqual([]);
    expect(kafka.records('events')[0]!.headers.map(([name]) => name)).not.toContain('traceparent');
  });
});
