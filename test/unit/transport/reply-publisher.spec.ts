import type { ClusterMetadata } from '../../../lib/client/cluster-metadata.js';
import { Message } from '../../../lib/client/message.js';
import type { ProduceRecord } from '../../../lib/client/produce-args.js';
import { ErrorCode, KafkaException } from '../../../lib/errors/index.js';
import { replyAddressOf, type ReplyAddress } from '../../../lib/transport/server/reply-address.js';
import { ReplyPublisher, type ReplyProducer } from '../../../lib/transport/server/reply-publisher.js';
import { RdKafkaRequestSerializer, type RdKafkaRecordSerializer } from '../../../lib/transport/serdes/rdkafka-request.serializer.js';
import { CaptureLogger } from '../../integration/helpers/capture-logger.js';

type Produced = { topic: string; record: Omit<ProduceRecord, 'onDelivery'> };
/** How the fake answers one produce: delivered, failed, or never answered. */
type Answer = 'ok' | 'hang' | KafkaException;

/** The producer a publisher sees: topics with partition counts, and a scripted answer per produce. */
class FakeReplyProducer implements ReplyProducer {
  readonly produced: Produced[] = [];
  readonly lookups: string[] = [];
  answers: Answer[] = [];
  constructor(readonly topics: Map<string, number>) {}

  async listTopics(topic?: string): Promise<ClusterMetadata> {
    this.lookups.push(topic ?? '*');
    const n = this.topics.get(topic ?? '') ?? 0;
    const partitions = new Map(Array.from({ length: n }, (_, id) => [id, { id, leader: 1, replicas: [1], isrs: [1], error: null }]));
    return { brokers: new Map(), topics: new Map([[topic ?? '', { topic: topic ?? '', partitions, error: null }]]), origBrokerId: 1, origBrokerName: 'fake' };
  }

  produceAsync(topic: string, record: Omit<ProduceRecord, 'onDelivery'> = {}): Promise<Message> {
    this.produced.push({ topic, record });
    const answer = this.answers.shift() ?? 'ok';
    if (answer === 'hang') return new Promise(() => undefined);
    if (answer instanceof KafkaException) return Promise.reject(answer);
    return Promise.resolve(new Message({ topic, partition: record.partition ?? 0, offset: 0 }));
  }

  async poll(): Promise<number> { return 0; }
}

function header(p: Produced, name: string): string | undefined {
  const list = p.record.headers as [string, Buffer][];
  return list.find(([k]) => k === name)?.[1].toString();
}

function address(topic: string, partition?: string): ReplyAddress {
  const headers: [string, Buffer][] = [['kafka_correlationId', Buffer.from('cid-7')], ['kafka_replyTopic', Buffer.from(topic)]];
  if (partition !== undefined) headers.push(['kafka_replyPartition', Buffer.from(partition)]);
  return replyAddressOf(new Message({ topic: 'req', partition: 1, offset: 99, headers }));
}

describe('ReplyPublisher', () => {
  let producer: FakeReplyProducer;
  let logger: CaptureLogger;
  const publisher = (timeoutMs = 1000, serializer: RdKafkaRecordSerializer = new RdKafkaRequestSerializer()) =>
    new ReplyPublisher(() => producer, { serializer, logger, timeoutMs });

  beforeEach(() => {
    producer = new FakeReplyProducer(new Map([['replies', 2]]));
    logger = new CaptureLogger();
  });

  it('admits a request to an existing topic and partition, looking the topic up once', async () => {
    const p = publisher();
    await expect(p.admit(address('replies', '1'))).resolves.toBe(true);
    expect(p.admit(address('replies', '0'))).toBe(true);
    expect(producer.lookups).toEqual(['replies']);
  });

  it('refuses a reply topic the cluster does not have: nothing produced, the refusal logged with id and request', async () => {
    await expect(publisher().admit(address('nowhere'))).resolves.toBe(false);
    expect(producer.produced).toEqual([]);
    const [line] = logger.of('error');
    expect(line!.message).toMatch(/correlation id cid-7 to "nowhere" not sent: the reply topic does not exist.*request req\[1\]@99.*gets none/);
  });

  it('refuses an illegal topic without even a lookup', async () => {
    await expect(publisher().admit(address('a b'))).resolves.toBe(false);
    expect(producer.lookups).toEqual([]);
    expect(producer.produced).toEqual([]);
  });

  it('answers a partition the topic lacks, or a malformed one, with an error reply the partitioner places', async () => {
    for (const bad of ['999', 'abc', '-1']) {
      await expect(publisher().admit(address('replies', bad))).resolves.toBe(false);
    }
    expect(producer.produced).toHaveLength(3);
    for (const p of producer.produced) {
      expect(p.topic).toBe('replies');
      expect(p.record.partition).toBeUndefined();
      expect(p.record.value).toBeNull();
      expect(header(p, 'kafka_correlationId')).toBe('cid-7');
      expect(JSON.parse(header(p, 'kafka_nest-err')!)).toMatchObject({ status: 'error', message: expect.stringMatching(/partition/) });
      expect(header(p, 'kafka_nest-is-disposed')).toBeDefined();
    }
  });

  it('sends an error reply in place of a reply the broker refuses (MSG_SIZE_TOO_LARGE), and logs it', async () => {
    producer.answers = [new KafkaException(ErrorCode.MSG_SIZE_TOO_LARGE)];
    const to = address('replies', '1');
    await publisher().publish({ response: 'x', isDisposed: true }, to);
    expect(producer.produced).toHaveLength(2);
    const errorReply = producer.produced[1]!;
    expect(errorReply.record.partition).toBe(1);
    expect(header(errorReply, 'kafka_nest-err')).toMatch(/MSG_SIZE_TOO_LARGE/);
    expect(logger.of('error')[0]!.message).toMatch(/cid-7.*MSG_SIZE_TOO_LARGE.*request req\[1\]@99.*the caller got an error reply/);
    expect(to.ended).toBe(true);
  });

  it('places the error reply by the partitioner when the reply partition vanished (_UNKNOWN_PARTITION)', async () => {
    producer.answers = [new KafkaException(ErrorCode._UNKNOWN_PARTITION)];
    await publisher().publish({ response: 1, isDisposed: true }, address('replies', '1'));
    expect(producer.produced.map((p) => p.record.partition)).toEqual([1, undefined]);
    expect(header(producer.produced[1]!, 'kafka_nest-err')).toMatch(/_UNKNOWN_PARTITION/);
  });

  it('sends an error reply when the serializer throws', async () => {
    const failing: RdKafkaRecordSerializer = { serialize: () => { throw new Error('cannot encode'); } };
    await publisher(1000, failing).publish({ response: 1, isDisposed: true }, address('replies'));
    expect(producer.produced).toHaveLength(1);
    expect(header(producer.produced[0]!, 'kafka_nest-err')).toMatch(/the serializer failed: Error: cannot encode/);
  });

  it('bounds a reply by timeoutMs, logs it and tries no error reply (it would queue behind the stuck one)', async () => {
    producer.answers = ['hang'];
    const t0 = Date.now();
    await publisher(100).publish({ response: 1, isDisposed: true }, address('replies', '0'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(producer.produced).toHaveLength(1);
    expect(logger.of('error')[0]!.message).toMatch(/cid-7.*replyTimeoutMs \(100 ms\).*gets none and times out/);
  });

  it('logs that the caller times out when the error reply fails too', async () => {
    producer.answers = [new KafkaException(ErrorCode.INVALID_RECORD), new KafkaException(ErrorCode.INVALID_RECORD)];
    await publisher().publish({ response: 1, isDisposed: true }, address('replies'));
    expect(logger.of('error')[0]!.message).toMatch(/the error reply failed too .*INVALID_RECORD.*times out/);
  });

  it('drops the rest of a stream once a reply failed, so the caller sees nothing after its error reply', async () => {
    producer.answers = ['ok', new KafkaException(ErrorCode.MSG_SIZE_TOO_LARGE)];
    const p = publisher();
    const to = address('replies');
    await p.publish({ response: 1 }, to);
    await p.publish({ response: 2 }, to);
    await p.publish({ response: 3 }, to);
    await p.publish({ isDisposed: true }, to);
    expect(producer.produced.map((r) => header(r, 'kafka_nest-err') === undefined ? 'value' : 'error')).toEqual(['value', 'value', 'error']);
  });

  it('forgets a cached topic whose reply failed as unknown, and looks it up again', async () => {
    const p = publisher();
    await p.admit(address('replies'));
    producer.answers = [new KafkaException(ErrorCode.UNKNOWN_TOPIC_OR_PART)];
    await p.publish({ response: 1, isDisposed: true }, address('replies'));
    expect(producer.produced).toHaveLength(1);
    producer.topics.delete('replies');
    await expect(p.admit(address('replies'))).resolves.toBe(false);
    expect(producer.lookups).toEqual(['replies', 'replies']);
  });
});
