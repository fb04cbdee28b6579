import { Producer } from '../../../../lib/client/producer.js';
import { ErrorCode, KafkaException } from '../../../../lib/errors/index.js';
import { FakeKafka, type FakeNativeProducer, type FakeStoredRecord } from '../../../../lib/testing/index.js';
import { RdKafkaRequestSerializer } from '../../../../lib/transport/serdes/rdkafka-request.serializer.js';
import { ReplyPublisher } from '../../../../lib/transport/server/reply-publisher.js';

function headersOf(r: FakeStoredRecord): Record<string, string> {
  return Object.fromEntries(r.headers.map(([k, v]) => [k, v.toString()]));
}

describe('ReplyPublisher', () => {
  let kafka: FakeKafka;
  let producer: Producer;
  let native: FakeNativeProducer;
  let publisher: ReplyPublisher;

  beforeEach(async () => {
    kafka = new FakeKafka().createTopic('orders.reply', 4);
    producer = new Producer({}, {}, kafka.binding);
    await producer.connect();
    native = kafka.producers[0]!;
    publisher = new ReplyPublisher(() => producer, new RdKafkaRequestSerializer());
  });
  afterEach(() => producer.close());

  it('writes a reply as Nest does: value, correlation id, and the disposed marker on the last', async () => {
    const to = { topic: 'orders.reply', partition: '2', correlationId: 'c-1' };
    await publisher.publish({ response: { id: 1 }, isDisposed: false }, to);
    const last = await publisher.publish({ response: { id: 2 }, isDisposed: true }, to);
    expect(last.partition).toBe(2);
    const [first, second] = kafka.records('orders.reply', 2);
    expect(first!.value!.toString()).toBe('{"id":1}');
    expect(headersOf(first!)).toEqual({ kafka_correlationId: 'c-1' });
    expect(second!.value!.toString()).toBe('{"id":2}');
    expect(headersOf(second!)).toEqual({ kafka_correlationId: 'c-1', 'kafka_nest-is-disposed': '1' });
  });

  it.each([
    ['an object as JSON', { code: 42 }, '{"code":42}'],
    ['an Error as Nest\'s { status, message }', new Error('bad input'), '{"status":"error","message":"bad input"}'],
    ['a string as it is', 'nope', 'nope'],
  ])('puts the error in kafka_nest-err (%s) with a null value', async (_name, err, text) => {
    await publisher.publish({ err, isDisposed: true }, { topic: 'orders.reply', partition: '0', correlationId: 'c-2' });
    const [r] = kafka.records('orders.reply', 0);
    expect(r!.value).toBeNull();
    expect(headersOf(r!)).toEqual({ kafka_correlationId: 'c-2', 'kafka_nest-err': text, 'kafka_nest-is-disposed': '1' });
  });

  it('keeps headers the serializer set, before the protocol headers', async () => {
    const withHeaders = new ReplyPublisher(() => producer, { serialize: (data) => ({ value: Buffer.from(String(data)), key: Buffer.from('k'), headers: [['trace', Buffer.from('t-1')]] }) });
    await withHeaders.publish({ response: 'ok', isDisposed: true }, { topic: 'orders.reply', partition: '1', correlationId: 'c-3' });
    const [r] = kafka.records('orders.reply', 1);
    expect(r!.headers.map(([k]) => k)).toEqual(['trace', 'kafka_correlationId', 'kafka_nest-is-disposed']);
    expect(r!.key!.toString()).toBe('k');
  });

  it.each([
    { header: '"3"', partition: '3', expected: 3 },
    { header: 'the number 1', partition: 1, expected: 1 },
    { header: '"2.0" (parseFloat, as Nest)', partition: '2.0', expected: 2 },
    { header: '"1.5"', partition: '1.5', expected: -1 },
    { header: '"-1"', partition: '-1', expected: -1 },
    { header: '"abc"', partition: 'abc', expected: -1 },
    { header: 'none', partition: undefined, expected: -1 },
  ])('reply partition $header → produce() partition $expected (-1: the partitioner chooses)', async ({ partition, expected }) => {
    await publisher.publish({ response: 1, isDisposed: true }, { topic: 'orders.reply', partition, correlationId: 'c' });
    expect(native.produced.map((p) => p.requestedPartition)).toEqual([expected]);
  });

  it('rejects with the delivery error when the reply cannot be delivered', async () => {
    kafka.inject('delivery', ErrorCode.MSG_SIZE_TOO_LARGE, { topic: 'orders.reply' });
    const err: unknown = await publisher.publish({ response: 'x', isDisposed: true }, { topic: 'orders.reply', partition: '0', correlationId: 'c' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaException);
    expect((err as KafkaException).error.code).toBe(ErrorCode.MSG_SIZE_TOO_LARGE);
    expect(kafka.records('orders.reply')).toEqual([]);
  });

  it('rejects a reply above message.max.bytes with MSG_SIZE_TOO_LARGE', async () => {
    const err: unknown = await publisher.publish({ response: 'x'.repeat(1_000_001), isDisposed: true }, { topic: 'orders.reply', partition: '0', correlationId: 'c' }).catch((e: unknown) => e);
    expect((err as KafkaException).error.code).toBe(ErrorCode.MSG_SIZE_TOO_LARGE);
  });

  it('waits out a full local queue instead of failing the reply', async () => {
    kafka.inject('produce', ErrorCode._QUEUE_FULL, { count: 2 });
    const m = await publisher.publish({ response: 'x', isDisposed: true }, { topic: 'orders.reply', partition: '0', correlationId: 'c' });
    expect(m.offset).toBe(0);
    expect(kafka.records('orders.reply', 0)).toHaveLength(1);
  });
});
