import { Consumer } from '../../../lib/client/consumer.js';
import { Producer } from '../../../lib/client/producer.js';
import type { TopicPartition } from '../../../lib/client/topic-partition.js';
import { ErrorCode, KafkaException } from '../../../lib/errors/index.js';
import { FakeKafka } from '../../../lib/testing/index.js';

/** The fakes' contract, seen through our real client layer: what the transport specs rely on. */
describe('FakeKafka', () => {
  let kafka: FakeKafka;
  const open: Array<Consumer | Producer> = [];

  async function producer(): Promise<Producer> {
    const p = new Producer({}, {}, kafka.binding);
    open.push(p);
    await p.connect();
    return p;
  }

  async function consumer(config: Record<string, string | number | boolean> = {}): Promise<Consumer> {
    const c = new Consumer({ 'group.id': 'g', 'auto.offset.reset': 'earliest', ...config }, kafka.binding);
    open.push(c);
    await c.connect();
    return c;
  }

  beforeEach(() => {
    kafka = new FakeKafka().createTopic('t', 3);
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });

  it('what a producer writes, a subscribed consumer reads: key, value, headers, timestamp, offsets', async () => {
    const p = await producer();
    const report = await p.produceAsync('t', {
      value: 'v',
      key: 'k',
      partition: 1,
      timestamp: 1234,
      headers: [
        ['h', 'x'],
        ['h', 'y'],
      ],
    });
    expect([report.partition, report.offset]).toEqual([1, 0]);
    const c = await consumer();
    c.subscribe(['t']);
    const [m] = await c.consume(1, 1000);
    expect([m!.topic, m!.partition, m!.offset, m!.key!.toString(), m!.value!.toString(), m!.timestamp[1]]).toEqual([
      't',
      1,
      0,
      'k',
      'v',
      1234,
    ]);
    expect(m!.headers!.map(([k, v]) => [k, v!.toString()])).toEqual([
      ['h', 'x'],
      ['h', 'y'],
    ]);
  });

  it('the partitioner sends one key to one partition', async () => {
    const p = await producer();
    const reports = await Promise.all([1, 2, 3].map(() => p.produceAsync('t', { value: 'v', key: 'same' })));
    expect(new Set(reports.map((r) => r.partition)).size).toBe(1);
  });

  it('builds header objects as node-rdkafka does: by plain assignment, so "__proto__" sets the prototype', async () => {
    kafka.append('t', {
      value: 'v',
      headers: [
        ['__proto__', 'x'],
        ['ok', 'y'],
      ],
    });
    const native = new kafka.binding.KafkaConsumer({ 'group.id': 'raw' }, { 'auto.offset.reset': 'earliest' });
    await new Promise<void>((resolve) => native.connect({}, () => resolve()));
    native.assign([{ topic: 't', partition: 0, offset: 0 }]);
    const messages = await new Promise<{ headers?: object[] }[]>((resolve) => native.consume(10, (_e, m) => resolve(m)));
    const [proto, ok] = messages[0]!.headers!;
    expect(Object.keys(proto!)).toEqual([]);
    expect(Buffer.isBuffer(Object.getPrototypeOf(proto))).toBe(true);
    expect(Object.keys(ok!)).toEqual(['ok']);
  });

  it("resolves a new member's start from the group's committed offset", async () => {
    kafka.append('t', [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    const first = await consumer();
    first.assign([{ topic: 't', partition: 0 }]);
    const [a] = await first.consume(1, 1000);
    await first.commit({ message: a, asynchronous: false });
    const second = await consumer();
    second.assign([{ topic: 't', partition: 0 }]);
    expect((await second.consume(5, 100)).map((m) => m.value!.toString())).toEqual(['b', 'c']);
  });

  it('pause stops fetching, resume and seek start it again', async () => {
    kafka.append('t', [{ value: 'a' }, { value: 'b' }]);
    const c = await consumer();
    c.assign([{ topic: 't', partition: 0 }]);
    c.pause([{ topic: 't', partition: 0 }]);
    expect(await c.consume(5, 30)).toEqual([]);
    c.resume([{ topic: 't', partition: 0 }]);
    expect(await c.consume(5, 100)).toHaveLength(2);
    await c.seek({ topic: 't', partition: 0, offset: 1 });
    expect((await c.consume(5, 100)).map((m) => m.offset)).toEqual([1]);
  });

  it('reports end of partition with enable.partition.eof', async () => {
    kafka.append('t', { value: 'a' });
    const c = await consumer({ 'enable.partition.eof': true });
    c.assign([{ topic: 't', partition: 0 }]);
    const batch = await c.consume(5, 100);
    expect(batch.map((m) => m.error?.code ?? m.offset)).toEqual([0, ErrorCode._PARTITION_EOF]);
  });

  it('runs rebalance callbacks: assign on subscribe, then revoke', async () => {
    const seen: string[] = [];
    const name = (kind: string) => (_c: Consumer, tps: TopicPartition[]) => {
      seen.push(`${kind} ${tps.map((t) => t.partition).join(',')}`);
    };
    const c = await consumer();
    c.subscribe(['t'], { onAssign: name('assign'), onRevoke: name('revoke') });
    await new Promise((r) => setTimeout(r, 5));
    await c.rebalanceSettled();
    const native = kafka.consumers[0]!;
    await native.rebalance('revoke', [{ topic: 't', partition: 2 }]);
    await native.rebalance('assign');
    expect(seen).toEqual(['assign 0,1,2', 'revoke 2', 'assign 0,1,2']);
    expect(c.assignment().map((t) => t.partition)).toEqual([0, 1, 2]);
  });

  it('lose(): max.poll.interval.ms exceeded arrives as a consume error, and the partitions go', async () => {
    const c = await consumer();
    c.subscribe(['t']);
    await new Promise((r) => setTimeout(r, 5));
    await c.rebalanceSettled();
    const lost = kafka.consumers[0]!.lose('max-poll');
    const [m] = await c.consume(1, 100);
    await lost;
    expect(m!.error!.code).toBe(ErrorCode._MAX_POLL_EXCEEDED);
    expect(c.assignment()).toEqual([]);
  });

  it('fails deliveries: injected codes, missing topics without auto-creation, missing partitions', async () => {
    const p = await producer();
    kafka.inject('delivery', ErrorCode.REQUEST_TIMED_OUT, { topic: 't' });
    kafka.autoCreateTopics = false;
    const codes = await Promise.all(
      [
        p.produceAsync('t', { value: 'a' }),
        p.produceAsync('missing', { value: 'b' }),
        p.produceAsync('t', { value: 'c', partition: 9 }),
      ].map((r) =>
        r.then(
          () => 0,
          (e: unknown) => (e as KafkaException).error.code,
        ),
      ),
    );
    expect(codes).toEqual([ErrorCode.REQUEST_TIMED_OUT, ErrorCode._UNKNOWN_TOPIC, ErrorCode._UNKNOWN_PARTITION]);
    expect(kafka.producers[0]!.produced.map((x) => x.error)).toEqual(codes);
  });

  it('a connect fault fails one connect; the next succeeds', async () => {
    kafka.inject('connect', ErrorCode._TRANSPORT);
    const c = new Consumer({ 'group.id': 'g' }, kafka.binding);
    open.push(c);
    const err: unknown = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaException);
    expect((err as KafkaException).error.code).toBe(ErrorCode._TRANSPORT);
    await c.connect();
    expect(kafka.consumers[0]!.isConnected()).toBe(true);
  });
});
