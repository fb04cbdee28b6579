import type { ClusterMetadata } from '../../../../lib/client/cluster-metadata.js';
import { Message } from '../../../../lib/client/message.js';
import type { ProduceRecord } from '../../../../lib/client/produce-args.js';
import { Producer } from '../../../../lib/client/producer.js';
import { ErrorCode } from '../../../../lib/errors/index.js';
import { FakeKafka, type FakeNativeProducer, type FakeProduced } from '../../../../lib/testing/index.js';
import { RdKafkaRequestSerializer, type RdKafkaRecordSerializer } from '../../../../lib/transport/serdes/rdkafka-request.serializer.js';
import { replyAddressOf, type ReplyAddress } from '../../../../lib/transport/server/reply-address.js';
import { ReplyPublisher, type ReplyProducer } from '../../../../lib/transport/server/reply-publisher.js';
import { SERVER_PRODUCER_DEFAULTS } from '../../../../lib/transport/server/server-rdkafka.options.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';

/** The reply address of a request to `topic` (and `partition`), as the server reads it from the headers. */
function address(topic: string, partition?: string, correlationId = 'cid-7'): ReplyAddress {
  const headers: [string, Buffer][] = [
    ['kafka_correlationId', Buffer.from(correlationId)],
    ['kafka_replyTopic', Buffer.from(topic)],
  ];
  if (partition !== undefined) headers.push(['kafka_replyPartition', Buffer.from(partition)]);
  return replyAddressOf(new Message({ topic: 'req', partition: 1, offset: 99, headers }));
}

/** Header pairs (of a produce call or a stored record) as a name → text object. */
function headersOf(p: Pick<FakeProduced, 'headers'>): Record<string, string> {
  return Object.fromEntries(p.headers.map(([k, v]) => [k, v.toString()]));
}

describe('ReplyPublisher', () => {
  let kafka: FakeKafka;
  let producer: Producer;
  let native: FakeNativeProducer;
  let logger: CaptureLogger;
  const publisher = (timeoutMs = 1000, serializer: RdKafkaRecordSerializer = new RdKafkaRequestSerializer()) =>
    new ReplyPublisher(() => producer, { serializer, logger, timeoutMs });

  beforeEach(async () => {
    kafka = new FakeKafka().createTopic('orders.reply', 4).createTopic('replies', 2);
    // The server's producer: a metadata request or a reply never creates a topic.
    producer = new Producer({ ...SERVER_PRODUCER_DEFAULTS }, {}, kafka.binding);
    await producer.connect();
    native = kafka.producers[0]!;
    logger = new CaptureLogger();
  });
  afterEach(() => producer.close());

  describe("replies as Nest's ServerKafka writes them", () => {
    it('writes a reply as Nest does: value, correlation id, and the disposed marker on the last', async () => {
      const to = address('orders.reply', '2', 'c-1');
      await publisher().publish({ response: { id: 1 }, isDisposed: false }, to);
      await publisher().publish({ response: { id: 2 }, isDisposed: true }, to);
      const [first, second] = kafka.records('orders.reply', 2);
      expect(first!.value!.toString()).toBe('{"id":1}');
      expect(headersOf(first!)).toEqual({ kafka_correlationId: 'c-1' });
      expect(second!.value!.toString()).toBe('{"id":2}');
      expect(headersOf(second!)).toEqual({ kafka_correlationId: 'c-1', 'kafka_nest-is-disposed': '1' });
      expect(logger.lines).toEqual([]);
    });

    it.each([
      ['an object as JSON', { code: 42 }, '{"code":42}'],
      ["an Error as Nest's { status, message }", new Error('bad input'), '{"status":"error","message":"bad input"}'],
      ['a string as it is', 'nope', 'nope'],
    ])('puts the error in kafka_nest-err (%s) with a null value', async (_name, err, text) => {
      await publisher().publish({ err, isDisposed: true }, address('orders.reply', '0', 'c-2'));
      const [r] = kafka.records('orders.reply', 0);
      expect(r!.value).toBeNull();
      expect(headersOf(r!)).toEqual({ kafka_correlationId: 'c-2', 'kafka_nest-err': text, 'kafka_nest-is-disposed': '1' });
    });

    it('keeps headers the serializer set, before the protocol headers', async () => {
      const withHeaders: RdKafkaRecordSerializer = {
        serialize: (data) => ({ value: Buffer.from(String(data)), key: Buffer.from('k'), headers: [['trace', Buffer.from('t-1')]] }),
      };
      await publisher(1000, withHeaders).publish({ response: 'ok', isDisposed: true }, address('orders.reply', '1', 'c-3'));
      const [r] = kafka.records('orders.reply', 1);
      expect(r!.headers.map(([k]) => k)).toEqual(['trace', 'kafka_correlationId', 'kafka_nest-is-disposed']);
      expect(r!.key!.toString()).toBe('k');
    });

    it.each([
      { header: '"3"', partition: '3', expected: 3 },
      { header: 'none', partition: undefined, expected: -1 },
    ])('reply partition $header → produce() partition $expected (-1: the partitioner chooses)', async ({ partition, expected }) => {
      const to = address('orders.reply', partition);
      expect(await publisher().admit(to)).toBe(true);
      await publisher().publish({ response: 1, isDisposed: true }, to);
      expect(native.produced.map((p) => p.requestedPartition)).toEqual([expected]);
    });

    it('waits out a full local queue instead of failing the reply', async () => {
      kafka.inject('produce', ErrorCode._QUEUE_FULL, { count: 2 });
      await publisher().publish({ response: 'x', isDisposed: true }, address('orders.reply', '0'));
      expect(kafka.records('orders.reply', 0)).toHaveLength(1);
      expect(kafka.records('orders.reply', 0)[0]!.value!.toString()).toBe('x');
      expect(logger.lines).toEqual([]);
    });
  });

  describe('admit: the reply address is checked before the handler runs', () => {
    it('admits a request to an existing topic and partition', async () => {
      await expect(Promise.resolve(publisher().admit(address('replies', '1')))).resolves.toBe(true);
      expect(native.produced).toEqual([]);
    });

    it('refuses a reply topic the cluster does not have, and never creates it: the refusal logged with id and request', async () => {
      await expect(publisher().admit(address('nowhere'))).resolves.toBe(false);
      expect(native.produced).toEqual([]);
      expect(kafka.topicNames()).not.toContain('nowhere');
      const [line] = logger.of('error');
      expect(line!.message).toMatch(
        /correlation id cid-7 to "nowhere" not sent: the reply topic does not exist.*request req\[1\]@99.*gets none/,
      );
    });

    it.each(['999', 'abc', '-1', '1.5', '2.0'])(
      'answers reply partition "%s" (missing or not an int32) with an error reply the partitioner places',
      async (bad) => {
        await expect(publisher().admit(address('replies', bad))).resolves.toBe(false);
        expect(native.produced).toHaveLength(1);
        const [p] = native.produced;
        expect(p!.topic).toBe('replies');
        expect(p!.requestedPartition).toBe(-1);
        expect(p!.value).toBeNull();
        expect(headersOf(p!)['kafka_correlationId']).toBe('cid-7');
        expect(JSON.parse(headersOf(p!)['kafka_nest-err']!)).toMatchObject({
          status: 'error',
          message: expect.stringMatching(/partition/),
        });
        expect(headersOf(p!)['kafka_nest-is-disposed']).toBeDefined();
      },
    );
  });

  describe('a reply that cannot go: the caller gets an error reply in its place, and it is logged', () => {
    it.each([
      [
        'the delivery fails (MSG_SIZE_TOO_LARGE from the broker)',
        () => kafka.inject('delivery', ErrorCode.MSG_SIZE_TOO_LARGE, { topic: 'replies' }),
        'x',
      ],
      ['produce() refuses a value above message.max.bytes', () => undefined, 'x'.repeat(1_000_001)],
    ])('%s', async (_name, fault, response) => {
      fault();
      const to = address('replies', '1');
      await publisher().publish({ response, isDisposed: true }, to);
      const delivered = kafka.records('replies');
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.partition).toBe(1);
      expect(delivered[0]!.value).toBeNull();
      expect(headersOf(delivered[0]!)['kafka_nest-err']).toMatch(/MSG_SIZE_TOO_LARGE/);
      expect(logger.of('error')[0]!.message).toMatch(/cid-7.*MSG_SIZE_TOO_LARGE.*request req\[1\]@99.*the caller got an error reply/);
      expect(to.ended).toBe(true);
    });

    it('places the error reply by the partitioner when the reply partition vanished (_UNKNOWN_PARTITION)', async () => {
      kafka.inject('delivery', ErrorCode._UNKNOWN_PARTITION, { topic: 'replies' });
      await publisher().publish({ response: 1, isDisposed: true }, address('replies', '1'));
      expect(native.produced.map((p) => p.requestedPartition)).toEqual([1, -1]);
      expect(headersOf(native.produced[1]!)['kafka_nest-err']).toMatch(/_UNKNOWN_PARTITION/);
    });

    it('sends an error reply when the serializer throws', async () => {
      const failing: RdKafkaRecordSerializer = {
        serialize: () => {
          throw new Error('cannot encode');
        },
      };
      await publisher(1000, failing).publish({ response: 1, isDisposed: true }, address('replies'));
      expect(native.produced).toHaveLength(1);
      expect(headersOf(native.produced[0]!)['kafka_nest-err']).toMatch(/the serializer failed: Error: cannot encode/);
    });

    it('logs that the caller times out when the error reply fails too', async () => {
      kafka.inject('delivery', ErrorCode.INVALID_RECORD, { topic: 'replies', count: 2 });
      await publisher().publish({ response: 1, isDisposed: true }, address('replies'));
      expect(kafka.records('replies')).toEqual([]);
      expect(logger.of('error')[0]!.message).toMatch(/the error reply failed too .*INVALID_RECORD.*times out/);
    });

    it('drops the rest of a stream once a reply failed, so the caller sees nothing after its error reply', async () => {
      const p = publisher();
      const to = address('replies');
      await p.publish({ response: 1 }, to);
      kafka.inject('delivery', ErrorCode.MSG_SIZE_TOO_LARGE, { topic: 'replies' });
      await p.publish({ response: 2 }, to);
      await p.publish({ response: 3 }, to);
      await p.publish({ isDisposed: true }, to);
      expect(
        native.produced.map((r) => (r.error !== null ? 'failed' : headersOf(r)['kafka_nest-err'] === undefined ? 'value' : 'error')),
      ).toEqual(['value', 'failed', 'error']);
    });
  });

  describe('metadata lookups and time limits (a scripted producer)', () => {
    type Answer = 'ok' | 'hang' | number;
    /** Counts metadata lookups and answers each produce as scripted: delivered, never, or failed with a code. */
    class ScriptedProducer implements ReplyProducer {
      readonly produced: string[] = [];
      readonly lookups: string[] = [];
      answers: Answer[] = [];
      constructor(readonly topics: Map<string, number>) {}
      listTopics(topic?: string): Promise<ClusterMetadata> {
        this.lookups.push(topic ?? '*');
        return producer.listTopics(this.topics.has(topic ?? '') ? topic : 'missing-topic');
      }
      produceAsync(topic: string, record: Omit<ProduceRecord, 'onDelivery'> = {}): Promise<Message> {
        this.produced.push(topic);
        const answer = this.answers.shift() ?? 'ok';
        if (answer === 'hang') return new Promise(() => undefined);
        if (typeof answer === 'number') kafka.inject('delivery', answer, { topic });
        return producer.produceAsync(topic, record);
      }
      poll(): Promise<number> {
        return producer.poll();
      }
    }
    let scripted: ScriptedProducer;
    const scriptedPublisher = (timeoutMs = 1000) =>
      new ReplyPublisher(() => scripted, { serializer: new RdKafkaRequestSerializer(), logger, timeoutMs });
    beforeEach(() => {
      scripted = new ScriptedProducer(new Map([['replies', 2]]));
    });

    it('looks a topic up once, then admits from its cache synchronously', async () => {
      const p = scriptedPublisher();
      await expect(p.admit(address('replies', '1'))).resolves.toBe(true);
      expect(p.admit(address('replies', '0'))).toBe(true);
      expect(scripted.lookups).toEqual(['replies']);
    });

    it('refuses an illegal topic without even a lookup', async () => {
      await expect(scriptedPublisher().admit(address('a b'))).resolves.toBe(false);
      expect(scripted.lookups).toEqual([]);
      expect(scripted.produced).toEqual([]);
    });

    it('bounds a reply by timeoutMs, logs it and tries no error reply (it would queue behind the stuck one)', async () => {
      scripted.answers = ['hang'];
      const t0 = Date.now();
      await scriptedPublisher(100).publish({ response: 1, isDisposed: true }, address('replies', '0'));
      expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(scripted.produced).toHaveLength(1);
      expect(logger.of('error')[0]!.message).toMatch(/cid-7.*replyTimeoutMs \(100 ms\).*gets none and times out/);
    });

    it('forgets a cached topic whose reply failed as unknown, and looks it up again', async () => {
      const p = scriptedPublisher();
      await p.admit(address('replies'));
      scripted.answers = [ErrorCode.UNKNOWN_TOPIC_OR_PART];
      await p.publish({ response: 1, isDisposed: true }, address('replies'));
      expect(scripted.produced).toHaveLength(1);
      scripted.topics.delete('replies');
      await expect(p.admit(address('replies'))).resolves.toBe(false);
      expect(scripted.lookups).toEqual(['replies', 'replies']);
    });
  });
});
