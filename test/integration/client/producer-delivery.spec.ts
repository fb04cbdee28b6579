import {
  ConfigException,
  ErrorCode,
  KafkaException,
  Message,
  Producer,
  QueueFullError,
  type ProduceBatchRecord,
  type KafkaError,
} from '../../../lib/index.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

describe('Producer delivery', () => {
  const topic = uniqueTopic('producer');
  let producer: Producer;
  const globalReports: Array<[KafkaError | null, Message]> = [];

  beforeAll(async () => {
    await createTopic(topic, 2);
    producer = new Producer({
      'bootstrap.servers': bootstrapServers(),
      'linger.ms': 5,
      on_delivery: (err, msg) => globalReports.push([err, msg]),
    });
    await producer.connect();
  });
  afterAll(() => producer.close());

  it('resolves produceAsync with the delivered message: partition, offset, key, timestamp and latency', async () => {
    const msg = await producer.produceAsync(topic, { value: 'hello', key: 'k1', partition: 1, timestamp: 1_700_000_000_000 });
    expect(msg).toBeInstanceOf(Message);
    expect(msg.error).toBeNull();
    expect(msg.topic).toBe(topic);
    expect(msg.partition).toBe(1);
    expect(msg.offset).toBeGreaterThanOrEqual(0);
    expect(msg.key?.toString()).toBe('k1');
    expect(msg.timestamp[1]).toBe(1_700_000_000_000);
    expect(msg.latency).toBeGreaterThan(0);
  });

  it('calls the per-message callback instead of the global on_delivery, and the global one otherwise', async () => {
    const perMessage: Array<[KafkaError | null, Message]> = [];
    const before = globalReports.length;
    producer.produce(topic, Buffer.from('a'), null, 0, (err, m) => perMessage.push([err, m]));
    producer.produce(topic, { value: 'b', partition: 0 });
    expect(await producer.flush(10_000)).toBe(0);
    expect(perMessage).toHaveLength(1);
    expect(perMessage[0]![0]).toBeNull();
    expect(perMessage[0]![1].value?.toString()).toBe('a');
    expect(globalReports.slice(before).map(([, m]) => m.value?.toString())).toEqual(['b']);
  });

  it('counts queued messages in length until their reports arrive, and flush returns what is left', async () => {
    for (let i = 0; i < 50; i++) producer.produce(topic, `m${i}`);
    expect(producer.length).toBeGreaterThan(0);
    expect(await producer.flush(10_000)).toBe(0);
    expect(producer.length).toBe(0);
  });

  it('enqueues a batch, marking only the records that could not be enqueued', async () => {
    const records: ProduceBatchRecord[] = [{ value: 'b1' }, { value: 'b2', headers: { bad: 'a\0b' } }, { value: 'b3', key: 'k' }];
    const reports: Message[] = [];
    expect(producer.produceBatch(topic, records, 0, (_e, m) => reports.push(m))).toBe(2);
    expect(records[1]!.error?.code).toBe(ErrorCode._INVALID_ARG);
    expect(records[0]!.error).toBeUndefined();
    expect(await producer.flush(10_000)).toBe(0);
    expect(reports.map((m) => [m.value?.toString(), m.partition])).toEqual([
      ['b1', 0],
      ['b3', 0],
    ]);
  });

  it('rejects with the delivery error when a partition does not exist', async () => {
    const err = await producer.produceAsync(topic, { value: 'x', partition: 7 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaException);
    expect((err as KafkaException).error.code).toBe(ErrorCode._UNKNOWN_PARTITION);
    expect((err as KafkaException).error.name).toBe('_UNKNOWN_PARTITION');
  });

  it('refuses header values node-rdkafka would alter, and sends UTF-8 ones', async () => {
    expect(() => producer.produce(topic, { value: 'x', headers: { bin: Buffer.from([0xff, 0x00, 0x41]) } })).toThrow(
      /header "bin" is not valid UTF-8/,
    );
    expect(() => producer.produce(topic, { value: 'x', headers: [['nul', 'a\0b']] })).toThrow(KafkaException);
    const ok = await producer.produceAsync(topic, {
      value: 'x',
      headers: [
        ['h', 'v1'],
        ['h', Buffer.from('v2')],
      ],
    });
    expect(ok.error).toBeNull();
  });
});

describe('Producer errors', () => {
  it('throws QueueFullError (BufferError) when the local queue is full, and accepts again after flush', async () => {
    const topic = uniqueTopic('queue-full');
    await createTopic(topic, 1);
    const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'queue.buffering.max.messages': 10, 'linger.ms': 1000 });
    await p.connect();
    let full: unknown;
    for (let i = 0; i < 20 && !full; i++) {
      try {
        p.produce(topic, `v${i}`);
      } catch (e) {
        full = e;
      }
    }
    expect(full).toBeInstanceOf(QueueFullError);
    expect((full as QueueFullError).code).toBe(ErrorCode._QUEUE_FULL);
    expect(await p.flush(10_000)).toBe(0);
    expect(() => p.produce(topic, 'again')).not.toThrow();
    await p.close();
  });

  it('fails delivery with UNKNOWN_TOPIC_OR_PART for a missing topic when auto-create is off', async () => {
    const p = new Producer({
      'bootstrap.servers': bootstrapServers(),
      'allow.auto.create.topics': false,
      'message.timeout.ms': 5000,
      'topic.metadata.propagation.max.ms': 1000,
    });
    await p.connect();
    const err = await p.produceAsync(uniqueTopic('missing'), { value: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaException);
    expect([ErrorCode._UNKNOWN_TOPIC, ErrorCode.UNKNOWN_TOPIC_OR_PART, ErrorCode._MSG_TIMED_OUT]).toContain((err as KafkaException).code);
    // The producer is still usable.
    expect(p.length).toBe(0);
    await p.close();
  });

  it('names the unknown or mistyped property at construction', () => {
    const bad = (config: Record<string, unknown>) => {
      try {
        new Producer(config as never);
      } catch (e) {
        return e as ConfigException;
      }
      throw new Error('constructed');
    };
    expect(bad({ 'no.such.property': 1 }).property).toBe('no.such.property');
    expect(bad({ 'linger.ms': 'soon' }).property).toBe('linger.ms');
    expect(bad({ 'linger.ms': -5 }).message).toMatch(/outside allowed range/);
    expect(bad({ 'enable.idempotence': { yes: true } }).property).toBe('enable.idempotence');
    expect(bad({ dr_cb: true }).property).toBe('dr_cb');
    expect(bad({ error_cb: 'not a function' }).property).toBe('error_cb');
    expect(bad({ 'linger.ms': 'soon' })).toBeInstanceOf(KafkaException);
    expect(bad({ 'linger.ms': 'soon' }).code).toBe(ErrorCode._INVALID_ARG);
  });

  it('rejects calls before connect and after close with _STATE', async () => {
    const p = new Producer({ 'bootstrap.servers': bootstrapServers() });
    expect(() => p.produce('t', 'x')).toThrow(/not connected/);
    await p.connect();
    await p.close();
    expect(() => p.produce('t', 'x')).toThrow(/closed/);
    await expect(p.connect()).rejects.toMatchObject({ code: ErrorCode._STATE });
    await expect(p.flush(10)).rejects.toBeInstanceOf(KafkaException);
  });

  it('fails connect with a typed error when no broker is reachable', async () => {
    const p = new Producer({ 'bootstrap.servers': '127.0.0.1:1' });
    const err = await p.connect(2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaException);
    expect([ErrorCode._TRANSPORT, ErrorCode._TIMED_OUT, ErrorCode._ALL_BROKERS_DOWN]).toContain((err as KafkaException).code);
    await p.close();
  });
});
