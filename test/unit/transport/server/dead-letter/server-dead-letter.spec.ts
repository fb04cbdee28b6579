import { KafkaRetriableException } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { ErrorCode } from '../../../../../lib/errors/index.js';
import { FakeKafka, TestClientRdKafka, TestServerRdKafka } from '../../../../../lib/testing/index.js';
import type { RdKafkaContext } from '../../../../../lib/transport/context/rdkafka.context.js';
import { DeadLetterHeaders as H } from '../../../../../lib/transport/server/dead-letter/dead-letter.headers.js';
import type { ServerRdKafkaOptions } from '../../../../../lib/transport/server/server-rdkafka.options.js';
import { CaptureLogger } from '../../../../integration/helpers/capture-logger.js';
import { until } from '../../helpers/wait.js';

const GROUP = 'nest-rdkafka-group-server';

function listen(server: TestServerRdKafka): Promise<void> {
  return new Promise((resolve, reject) => void server.listen((err) => (err ? reject(err) : resolve())));
}

const headers = (r: { headers: ReadonlyArray<readonly [string, Buffer]> }): Record<string, string> =>
  Object.fromEntries(r.headers.map(([k, v]) => [k, v.toString()]));

describe('ServerRdKafka with dead-letter and retry topics (FakeKafka)', () => {
  let kafka: FakeKafka;
  let logger: CaptureLogger;
  let server: TestServerRdKafka | undefined;
  let client: TestClientRdKafka | undefined;
  const seen: { n: number; topic: string; at: number }[] = [];

  beforeEach(() => {
    kafka = new FakeKafka();
    for (const t of ['events', 'events.dlt', 'events.retry.1', 'events.retry.2', 'orders', 'orders.dlt']) kafka.createTopic(t, 1);
    logger = new CaptureLogger();
    seen.length = 0;
  });
  afterEach(async () => {
    await client?.close();
    await server?.close();
    [client, server] = [undefined, undefined];
  });

  /** A server whose `events` handler fails for records with n < 0, and for the first `failFirst` attempts of n = 1. */
  async function start(o: Partial<ServerRdKafkaOptions>, failFirst = 0): Promise<TestServerRdKafka> {
    server = new TestServerRdKafka(kafka, { client: {}, consumer: { 'auto.commit.interval.ms': 10 }, logger, closeTimeoutMs: 500, ...o });
    let attemptsOfOne = 0;
    server.addHandler(
      'events',
      async (data: { n: number }, ctx?: RdKafkaContext) => {
        seen.push({ n: data.n, topic: ctx!.getTopic(), at: Date.now() });
        if (data.n < 0) throw new TypeError(`bad n ${data.n}`);
        if (data.n === 1 && attemptsOfOne++ < failFirst) throw new Error(`not yet (${attemptsOfOne})`);
      },
      true,
    );
    server.addHandler(
      'orders',
      async () => {
        throw new KafkaRetriableException('backend down');
      },
      false,
    );
    await listen(server);
    return server;
  }

  it('a poison event goes to events.dlt with its bytes and headers, and the partition moves on', async () => {
    await start({ deadLetter: {} });
    kafka.append('events', [{ key: 'k-1', value: '{"n":-1}', headers: [['trace', 'abc']] }, { value: '{"n":2}' }]);
    await until(() => kafka.committed(GROUP, 'events', 0) === 2, 'both records committed');
    expect(seen.map((s) => s.n)).toEqual([-1, 2]);
    const [dl] = kafka.records('events.dlt');
    expect(dl!.key!.toString()).toBe('k-1');
    expect(dl!.value!.toString()).toBe('{"n":-1}');
    expect(headers(dl!)).toMatchObject({
      trace: 'abc',
      [H.ORIGINAL_TOPIC]: 'events',
      [H.ORIGINAL_PARTITION]: '0',
      [H.ORIGINAL_OFFSET]: '0',
      [H.ORIGINAL_GROUP]: GROUP,
      [H.ERROR_CLASS]: 'TypeError',
      [H.ERROR_MESSAGE]: 'bad n -1',
      [H.ATTEMPTS]: '1',
      [H.FAILURE]: 'handler',
    });
  });

  it('retries in place first when the policy says so, and counts every attempt', async () => {
    await start({ deadLetter: {}, errorPolicy: { mode: 'retry', retries: 2, initialBackoffMs: 1, then: 'dead-letter' } });
    kafka.append('events', [{ value: '{"n":-1}' }]);
    await until(() => kafka.committed(GROUP, 'events', 0) === 1, 'the commit');
    expect(seen).toHaveLength(3);
    expect(headers(kafka.records('events.dlt')[0]!)[H.ATTEMPTS]).toBe('3');
  });

  it('an undecodable record goes to the dead-letter topic with its exact bytes, without retries', async () => {
    const bytes = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x2a, 0xff]);
    await start({
      deadLetter: {},
      valueDeserializer: {
        deserialize: () => {
          throw new Error('unknown magic byte');
        },
      },
    });
    kafka.append('events', [{ value: bytes }]);
    await until(() => kafka.committed(GROUP, 'events', 0) === 1, 'the commit');
    const [dl] = kafka.records('events.dlt');
    expect(dl!.value).toEqual(bytes);
    expect(headers(dl!)).toMatchObject({ [H.FAILURE]: 'undecodable', [H.ERROR_CLASS]: 'ValueDeserializationError' });
    expect(seen).toEqual([]);
  });

  it('when the dead-letter write fails the offset is not committed and the partition stops; resume() writes it', async () => {
    kafka.inject('delivery', ErrorCode.TOPIC_AUTHORIZATION_FAILED, { topic: 'events.dlt', count: Infinity });
    await start({ deadLetter: { writeRetries: 0 } });
    kafka.append('events', [{ value: '{"n":-1}' }, { value: '{"n":2}' }]);
    await until(() => kafka.consumers[0]!.isPaused('events', 0), 'the stop');
    expect(logger.of('error').map((l) => l.message)).toContainEqual(expect.stringMatching(/^Could not write events\[0\]@0 to events\.dlt/));
    await new Promise((r) => setTimeout(r, 50));
    expect(kafka.committed(GROUP, 'events', 0)).toBeUndefined();
    expect(seen.map((s) => s.n)).toEqual([-1]);
    kafka.clearFaults();
    server!.resume('events', 0);
    await until(() => kafka.committed(GROUP, 'events', 0) === 2, 'both committed after resume');
    expect(kafka.records('events.dlt')).toHaveLength(1);
  });

  it('a request the policy gives up on gets its error reply and is recorded in the dead-letter topic', async () => {
    await start({ deadLetter: {} });
    kafka.createTopic('orders.reply', 1);
    client = new TestClientRdKafka(kafka, { client: {}, replyPartition: 0, requestTimeoutMs: 2000 });
    await client.connect();
    const err = await firstValueFrom(client.send('orders', { id: 1 })).catch((e: unknown) => e);
    expect(err).toEqual({ status: 'error', message: expect.stringMatching(/^Request not handled \(dead-lettered by the error policy\)/) });
    await until(() => kafka.records('orders.dlt').length === 1, 'the dead-letter record');
    expect(headers(kafka.records('orders.dlt')[0]!)).toMatchObject({
      [H.ORIGINAL_TOPIC]: 'orders',
      kafka_correlationId: expect.any(String),
    });
  });

  it('a record failing twice is handled once more through two retry topics, each after its delay', async () => {
    await start({ retryTopics: { delaysMs: [150, 300] } }, 2);
    kafka.append('events', [{ value: '{"n":1}' }, { value: '{"n":2}' }]);
    await until(() => seen.length === 4, 'four handler runs', 5000);
    expect(seen.map((s) => [s.n, s.topic])).toEqual([
      [1, 'events'],
      [2, 'events'],
      [1, 'events.retry.1'],
      [1, 'events.retry.2'],
    ]);
    // The source partition moved on at once; each retry waited for its delay.
    expect(seen[2]!.at - seen[0]!.at).toBeGreaterThanOrEqual(150);
    expect(seen[3]!.at - seen[2]!.at).toBeGreaterThanOrEqual(300);
    await until(() => kafka.committed(GROUP, 'events.retry.2', 0) === 1, 'the retry commit');
    expect(kafka.committed(GROUP, 'events', 0)).toBe(2);
    expect(kafka.records('events.dlt')).toHaveLength(0);
  });

  it("decodes a retry topic's records with its source topic's deserializers", async () => {
    await start(
      {
        retryTopics: { delaysMs: [10] },
        deserializers: { events: { value: { deserialize: (b: Buffer | null) => ({ n: Number(b!.toString().slice(4)) }) } } },
      },
      1,
    );
    kafka.append('events', [{ value: 'num:1' }]);
    await until(() => seen.length === 2, 'the run on the retry topic', 5000);
    expect(seen.map((s) => [s.n, s.topic])).toEqual([
      [1, 'events'],
      [1, 'events.retry.1'],
    ]);
  });

  it('after the last retry topic the record goes to the dead-letter topic, every attempt counted', async () => {
    await start({ retryTopics: { delaysMs: [10, 10] } });
    kafka.append('events', [{ value: '{"n":-5}' }]);
    await until(() => kafka.records('events.dlt').length === 1, 'the dead-letter record', 5000);
    expect(headers(kafka.records('events.dlt')[0]!)).toMatchObject({ [H.ORIGINAL_TOPIC]: 'events', [H.ATTEMPTS]: '3' });
    expect(seen.map((s) => s.topic)).toEqual(['events', 'events.retry.1', 'events.retry.2']);
  });

  it('a policy that does not end in dead-letter writes nothing there, and says deadLetter goes unused', async () => {
    await start({ errorPolicy: { mode: 'skip' }, deadLetter: {} });
    expect(logger.of('warn').map((l) => l.message)).toContain(
      'deadLetter / retryTopics are set but errorPolicy never ends in "dead-letter": they are not used',
    );
    kafka.append('events', [{ value: '{"n":-1}' }]);
    await until(() => kafka.committed(GROUP, 'events', 0) === 1, 'the commit');
    expect(kafka.records('events.dlt')).toHaveLength(0);
  });
});

describe('batch handlers with a dead-letter topic (FakeKafka)', () => {
  it('sends the records a batch handler marks failed to the dead-letter topic and commits the batch', async () => {
    const kafka = new FakeKafka();
    for (const t of ['rows', 'rows.dlt']) kafka.createTopic(t, 1);
    const server = new TestServerRdKafka(kafka, {
      client: {},
      consumer: { 'auto.commit.interval.ms': 10 },
      logger: new CaptureLogger(),
      closeTimeoutMs: 500,
      retryTopics: { delaysMs: [1000] },
      deadLetter: {},
    });
    const batches: number[][] = [];
    server.addHandler(
      'rows',
      async (rows: { n: number }[], ctx?: unknown) => {
        batches.push(rows.map((r) => r.n));
        const batch = ctx as { fail(i: number, e: Error): void };
        rows.forEach((r, i) => r.n < 0 && batch.fail(i, new RangeError(`row ${r.n} refused`)));
      },
      true,
      { batch: { maxRecords: 10, maxWaitMs: 50 } },
    );
    try {
      await listen(server);
      kafka.append('rows', [{ value: '{"n":1}' }, { key: 'bad', value: '{"n":-2}' }, { value: '{"n":3}' }]);
      await until(() => kafka.committed(GROUP, 'rows', 0) === 3, 'the batch committed');
      expect(batches.flat()).toEqual([1, -2, 3]);
      const dead = kafka.records('rows.dlt');
      expect(dead).toHaveLength(1);
      expect(dead[0]!.key!.toString()).toBe('bad');
      expect(headers(dead[0]!)).toMatchObject({ [H.ORIGINAL_OFFSET]: '1', [H.ERROR_CLASS]: 'RangeError', [H.FAILURE]: 'handler' });
      // No retry topic for a batch handler (a batch forms before a due time could be checked): straight here.
      expect(headers(dead[0]!)[H.ATTEMPTS]).toBe('1');
    } finally {
      await server.close();
    }
  });
});
