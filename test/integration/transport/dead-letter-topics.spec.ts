import { randomUUID } from 'node:crypto';
import { Consumer, DeadLetterHeaders as H, type Message, Producer, ServerRdKafka, TopicPartition } from '../../../lib/index.js';
import { RdKafkaAdminService } from '../../../lib/admin/index.js';
import type { ServerRdKafkaOptions } from '../../../lib/transport/server/server-rdkafka.options.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);

/** Servers and clients of the running test, closed after it. */
const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)));
});

function listen(server: ServerRdKafka): Promise<void> {
  return new Promise((resolve, reject) => void server.listen((err) => (err ? reject(err) : resolve())));
}

/** A server whose one event handler is `handler`, on `topic`, in its own group. */
async function serve(
  topic: string,
  handler: (data: unknown, ctx: { getTopic(): string }) => Promise<void>,
  o: Partial<ServerRdKafkaOptions>,
): Promise<{ server: ServerRdKafka; group: string; logger: CaptureLogger }> {
  const logger = new CaptureLogger();
  const group = `dlt-${randomUUID()}`;
  const server = new ServerRdKafka({
    client: { 'bootstrap.servers': bootstrapServers() },
    consumer: { 'group.id': group, 'auto.commit.interval.ms': 100 },
    postfixId: '',
    logger,
    ...o,
  });
  server.addHandler(topic, (data: unknown, ctx: unknown) => handler(data, ctx as { getTopic(): string }), true);
  open.push(server);
  await listen(server);
  return { server, group, logger };
}

async function produce(
  topic: string,
  records: { key?: string; value: string | Buffer; headers?: Record<string, string> }[],
): Promise<void> {
  const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 0 });
  await p.connect();
  try {
    for (const r of records) await p.produceAsync(topic, { ...r, partition: 0 });
  } finally {
    await p.close();
  }
}

/** Reads `count` records of a topic from its start, within `timeoutMs`. */
async function read(topic: string, count: number, timeoutMs = 20_000): Promise<Message[]> {
  const c = new Consumer({
    'bootstrap.servers': bootstrapServers(),
    'group.id': `reader-${randomUUID()}`,
    'auto.offset.reset': 'earliest',
  });
  await c.connect();
  try {
    c.subscribe([topic]);
    const got: Message[] = [];
    const deadline = Date.now() + timeoutMs;
    while (got.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${got.length} of ${count} records read from ${topic}`);
      got.push(...(await c.consumeBatch(count - got.length, 200)).filter((m) => !m.error));
    }
    return got;
  } finally {
    await c.close();
  }
}

/** The group's committed offset of partition 0 of a topic (undefined when none). */
async function committed(group: string, topic: string): Promise<number | undefined> {
  const c = new Consumer({ 'bootstrap.servers': bootstrapServers(), 'group.id': group });
  await c.connect();
  try {
    const [tp] = await c.committed([new TopicPartition(topic, 0)], 10_000);
    return tp!.offset >= 0 ? tp!.offset : undefined;
  } finally {
    await c.close();
  }
}

/** Polls the committed offset (commits are periodic) until it is `want`, for up to 10 s; returns the last seen. */
async function committedReaches(group: string, topic: string, want: number): Promise<number | undefined> {
  let offset: number | undefined;
  for (let i = 0; i < 50 && offset !== want; i++) {
    offset = await committed(group, topic);
    if (offset !== want) await new Promise((r) => setTimeout(r, 200));
  }
  return offset;
}

const text = (m: Message): Record<string, string> => Object.fromEntries((m.headers ?? []).map(([k, v]) => [k, v?.toString() ?? '']));

describe('retry and dead-letter topics (real broker)', () => {
  it('a poison record ends in <topic>.dlt with its key, bytes and every header right, and the partition moves on', async () => {
    const topic = `poison-${RUN}`;
    await createTopics([topic, `${topic}.dlt`]);
    const handled: number[] = [];
    const { group } = await serve(
      topic,
      async (d) => {
        const n = (d as { n: number }).n;
        if (n < 0) throw new RangeError(`poison ${n}`);
        handled.push(n);
      },
      { deadLetter: {} },
    );
    const before = Date.now();
    await produce(topic, [{ key: 'key-1', value: '{"n":-1}', headers: { trace: 'abc' } }, { value: '{"n":2}' }]);
    await waitFor(() => handled.length === 1, 20_000, 'the record after the poison one');
    const [dl] = await read(`${topic}.dlt`, 1);
    expect(dl!.key!.toString()).toBe('key-1');
    expect(dl!.value!.toString()).toBe('{"n":-1}');
    const h = text(dl!);
    expect(h).toMatchObject({
      trace: 'abc',
      [H.ORIGINAL_TOPIC]: topic,
      [H.ORIGINAL_PARTITION]: '0',
      [H.ORIGINAL_OFFSET]: '0',
      [H.ORIGINAL_GROUP]: group,
      [H.ERROR_CLASS]: 'RangeError',
      [H.ERROR_MESSAGE]: 'poison -1',
      [H.FAILURE]: 'handler',
      [H.ATTEMPTS]: '1',
    });
    expect(Number(h[H.ORIGINAL_TIMESTAMP])).toBeGreaterThanOrEqual(before - 1000);
    expect(await committedReaches(group, topic, 2)).toBe(2);
  });

  it('a record that fails twice is handled once more through the retry topics, each after its delay', async () => {
    const topic = `retried-${RUN}`;
    const delays = [500, 1000];
    await createTopics([topic, `${topic}.retry.1`, `${topic}.retry.2`, `${topic}.dlt`]);
    const runs: { n: number; topic: string; at: number }[] = [];
    let failures = 0;
    await serve(
      topic,
      async (d, ctx) => {
        const n = (d as { n: number }).n;
        runs.push({ n, topic: ctx.getTopic(), at: Date.now() });
        if (n === 1 && failures++ < 2) throw new Error(`not yet ${failures}`);
      },
      { retryTopics: { delaysMs: delays } },
    );
    await produce(topic, [{ value: '{"n":1}' }, { value: '{"n":2}' }]);
    await waitFor(() => runs.length === 4, 30_000, 'the retries');
    expect(runs.map((r) => [r.n, r.topic])).toEqual([
      [1, topic],
      [2, topic],
      [1, `${topic}.retry.1`],
      [1, `${topic}.retry.2`],
    ]);
    expect(runs[2]!.at - runs[0]!.at).toBeGreaterThanOrEqual(delays[0]!);
    expect(runs[3]!.at - runs[2]!.at).toBeGreaterThanOrEqual(delays[1]!);
    // Handled once successfully: no further run, nothing dead-lettered.
    await new Promise((r) => setTimeout(r, 500));
    expect(runs).toHaveLength(4);
  });

  it('when the dead-letter write fails the source offset is not committed; resume() writes it once the topic exists', async () => {
    const topic = `dlt-missing-${RUN}`;
    await createTopics([topic]);
    const { server, group, logger } = await serve(topic, async () => Promise.reject(new Error('always')), {
      deadLetter: { writeRetries: 0, writeTimeoutMs: 5000 },
      // The dead-letter topic does not exist: without auto-creation the write fails once metadata says so.
      producer: { 'topic.metadata.propagation.max.ms': 500 },
    });
    await produce(topic, [{ value: '{"n":1}' }]);
    await waitFor(
      () => logger.lines.some((l) => l.message.startsWith(`Could not write ${topic}[0]@0 to ${topic}.dlt`)),
      20_000,
      'the failed write',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await committed(group, topic)).toBeUndefined();
    await createTopics([`${topic}.dlt`]);
    // The new topic may take a moment to reach the producer's metadata: a write failing again stops the
    // partition again, and resume() tries again (bounded).
    const failedWrites = (): number => logger.lines.filter((l) => l.message.startsWith('Could not write')).length;
    const written = (): boolean => logger.lines.some((l) => l.message.startsWith(`Sent ${topic}[0]@0 to dead-letter topic`));
    for (let i = 0; i < 5 && !written(); i++) {
      const before = failedWrites();
      server.resume(topic, 0);
      await waitFor(() => written() || failedWrites() > before, 15_000, 'the write after resume()');
    }
    const [dl] = await read(`${topic}.dlt`, 1);
    expect(text(dl!)[H.ORIGINAL_OFFSET]).toBe('0');
    expect(await committedReaches(group, topic, 1)).toBe(1);
  });

  it('replays a dead-lettered record to its original topic, where the fixed handler takes it; a second run replays nothing', async () => {
    const topic = `replay-${RUN}`;
    await createTopics([topic, `${topic}.dlt`], 2);
    let fixed = false;
    const handled: { n: number; partition: number }[] = [];
    await serve(
      topic,
      async (d, ctx) => {
        if (!fixed) throw new Error('bug');
        handled.push({ n: (d as { n: number }).n, partition: (ctx as unknown as { getPartition(): number }).getPartition() });
      },
      { deadLetter: {} },
    );
    const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 0 });
    await p.connect();
    await p.produceAsync(topic, { value: '{"n":7}', key: 'k7', partition: 1, headers: { trace: 'x' } });
    await p.close();
    await read(`${topic}.dlt`, 1);
    fixed = true;
    const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
    open.push(admin);
    const group = `replay-${randomUUID()}`;
    expect(await admin.replayDeadLetters(`${topic}.dlt`, { groupId: group, timeoutMs: 20_000 })).toEqual({
      replayed: 1,
      passedOver: 0,
      failed: [],
      complete: true,
    });
    await waitFor(() => handled.length === 1, 20_000, 'the replayed record');
    expect(handled).toEqual([{ n: 7, partition: 1 }]);
    expect(await admin.replayDeadLetters(`${topic}.dlt`, { groupId: group, timeoutMs: 20_000 })).toMatchObject({
      replayed: 0,
      complete: true,
    });
  });
});
