import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ErrorCode, KafkaException } from '../../../../lib/errors/index.js';
import { FakeKafka, type FakeStoredRecord, TestClientRdKafka } from '../../../../lib/testing/index.js';
import type { ClientRdKafkaOptions } from '../../../../lib/transport/client/client-rdkafka.options.js';
import { RequestTimeoutError } from '../../../../lib/transport/errors/request-timeout.error.js';
import { RdKafkaStatus } from '../../../../lib/transport/rdkafka-status.enum.js';
import { until } from '../helpers/wait.js';

function headersOf(r: FakeStoredRecord): Record<string, string> {
  return Object.fromEntries(r.headers.map(([k, v]) => [k, v.toString()]));
}

/** Plays the server: waits for request `index` on `topic` and answers it on the reply address it names. */
async function answer(
  kafka: FakeKafka,
  index: number,
  reply: { value?: string; err?: string; topic?: string },
): Promise<Record<string, string>> {
  const topic = reply.topic ?? 'orders';
  await until(() => kafka.records(topic).length > index, `request ${index} on ${topic}`);
  const h = headersOf(kafka.records(topic)[index]!);
  const headers: [string, string][] = [['kafka_correlationId', h.kafka_correlationId!]];
  if (reply.err !== undefined) headers.push(['kafka_nest-err', reply.err]);
  headers.push(['kafka_nest-is-disposed', '1']);
  kafka.append(h.kafka_replyTopic!, { value: reply.value ?? null, headers }, Number(h.kafka_replyPartition));
  return h;
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('ClientRdKafka', () => {
  let kafka: FakeKafka;
  let client: TestClientRdKafka;

  function create(options: Partial<ClientRdKafkaOptions> = {}): TestClientRdKafka {
    client = new TestClientRdKafka(kafka, { client: {}, requestTimeoutMs: 2000, replyPartition: 0, ...options });
    return client;
  }

  beforeEach(() => {
    kafka = new FakeKafka().createTopic('orders', 1);
  });
  afterEach(() => client?.close());

  it("send(): a request with Nest's headers, answered on <pattern>.reply", async () => {
    create();
    const response = firstValueFrom(client.send('orders', { id: 1 }));
    const h = await answer(kafka, 0, { value: '{"total":3}' });
    expect(await response).toEqual({ total: 3 });
    expect(kafka.records('orders')[0]!.value!.toString()).toBe('{"id":1}');
    expect(h).toEqual({
      kafka_correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kafka_replyTopic: 'orders.reply',
      kafka_replyPartition: '0',
    });
  });

  it('routes replies by correlation id when they arrive out of order', async () => {
    create();
    const a = firstValueFrom(client.send('orders', 'a'));
    const b = firstValueFrom(client.send('orders', 'b'));
    await until(() => kafka.records('orders').length === 2, 'both requests');
    const byValue = new Map(kafka.records('orders').map((r, i) => [r.value!.toString(), i]));
    await answer(kafka, byValue.get('b')!, { value: 'for b' });
    await answer(kafka, byValue.get('a')!, { value: 'for a' });
    expect(await Promise.all([a, b])).toEqual(['for a', 'for b']);
  });

  it('a kafka_nest-err reply fails the request with the error', async () => {
    create();
    const response = firstValueFrom(client.send('orders', 1));
    await answer(kafka, 0, { err: '{"status":"error","message":"no stock"}' });
    expect(await caught(response)).toEqual({ status: 'error', message: 'no stock' });
  });

  it('fails a request with no reply after requestTimeoutMs with RequestTimeoutError naming pattern and id', async () => {
    create({ requestTimeoutMs: 30 });
    const err = await caught(firstValueFrom(client.send('orders', 1)));
    expect(err).toBeInstanceOf(RequestTimeoutError);
    const t = err as RequestTimeoutError;
    expect(t.name).toBe('RequestTimeoutError');
    expect([t.pattern, t.timeoutMs]).toEqual(['orders', 30]);
    expect(t.correlationId).toBe(headersOf(kafka.records('orders')[0]!).kafka_correlationId);
  });

  it('a request that cannot be delivered fails at once with the delivery error, not a timeout', async () => {
    create();
    kafka.inject('delivery', ErrorCode.MSG_SIZE_TOO_LARGE, { topic: 'orders' });
    const err = await caught(firstValueFrom(client.send('orders', 1)));
    expect(err).toBeInstanceOf(KafkaException);
    expect((err as KafkaException).error.code).toBe(ErrorCode.MSG_SIZE_TOO_LARGE);
  });

  it('close() fails pending requests with "Connection closed" and disconnects both clients', async () => {
    create();
    const failure = caught(firstValueFrom(client.send('orders', 1)));
    await until(() => kafka.records('orders').length === 1, 'the request');
    const statuses: string[] = [];
    client.status.subscribe((s) => statuses.push(s));
    await client.close();
    expect(((await failure) as Error).message).toBe('Connection closed');
    expect([...kafka.producers, ...kafka.consumers].map((c) => c.isConnected())).toEqual([false, false]);
    expect(statuses).toContain(RdKafkaStatus.DISCONNECTED);
  });

  it('emit(): produces the event without reply headers and resolves with its delivery report', async () => {
    create();
    const report = await lastValueFrom(client.emit('orders', { key: 'k-1', value: { n: 1 }, headers: { trace: 't' } }));
    expect(report.offset).toBe(0);
    const [r] = kafka.records('orders');
    expect([r!.key!.toString(), r!.value!.toString(), headersOf(r!)]).toEqual(['k-1', '{"n":1}', { trace: 't' }]);
  });

  it('emitBatch(): produces every message and resolves with their reports', async () => {
    create();
    const reports = await lastValueFrom(client.emitBatch('orders', { messages: ['a', 'b', 'c'] }));
    expect(reports.map((m) => m.offset)).toEqual([0, 1, 2]);
  });

  it('a failed connect is reported and retried by the next call; concurrent calls share one attempt', async () => {
    create();
    kafka.inject('connect', ErrorCode._TRANSPORT);
    const err = await caught(client.connect());
    expect(err).toBeInstanceOf(KafkaException);
    expect((err as KafkaException).error.code).toBe(ErrorCode._TRANSPORT);
    await Promise.all([client.connect(), client.connect()]);
    expect(kafka.producers).toHaveLength(2); // one for the failed attempt, one shared by the two calls
    const response = firstValueFrom(client.send('orders', 1));
    await answer(kafka, 0, { value: 'ok' });
    expect(await response).toBe('ok');
  });

  it('subscribeToResponseOf() assigns the reply partition at connect()', async () => {
    create();
    client.subscribeToResponseOf('orders');
    await client.connect();
    expect(kafka.consumers[0]!.assignments()).toEqual([{ topic: 'orders.reply', partition: 0 }]);
  });

  it('producerOnlyMode: emit works, send fails, no reply consumer exists', async () => {
    create({ producerOnlyMode: true });
    await lastValueFrom(client.emit('orders', 1));
    const err = await caught(firstValueFrom(client.send('orders', 1)));
    expect((err as Error).message).toBe('send() is not available in producerOnlyMode');
    expect(kafka.consumers).toHaveLength(0);
    expect(client.unwrap<{ consumer: unknown }>().consumer).toBeNull();
  });

  it('emitBatch() without a pattern or data fails without producing', async () => {
    create();
    const err = await caught(lastValueFrom(client.emitBatch(null, { messages: [1] })));
    expect((err as Error).message).toBe('The "pattern" and "data" must not be null or undefined');
    expect(kafka.producers).toHaveLength(0);
  });

  it("on() is not supported, as on Nest's Kafka client", () => {
    create();
    expect(() => client.on()).toThrow('Method is not supported for rdkafka client');
  });

  it('unwrap() before connect() throws', () => {
    create();
    expect(() => client.unwrap()).toThrow('Not initialized. Please call the "connect" method first.');
  });

  it('streams several replies of one request until the disposed marker', async () => {
    create();
    const all = lastValueFrom(client.send('orders', 1).pipe(toArray()));
    await until(() => kafka.records('orders').length === 1, 'the request');
    const h = headersOf(kafka.records('orders')[0]!);
    const id: [string, string] = ['kafka_correlationId', h.kafka_correlationId!];
    kafka.append(
      'orders.reply',
      [
        { value: '1', headers: [id] },
        { value: '2', headers: [id] },
        { value: null, headers: [id, ['kafka_nest-is-disposed', '1']] },
      ],
      0,
    );
    expect(await all).toEqual(['1', '2']);
  });
});
