import type { WritePacket } from '@nestjs/microservices';
import { Consumer } from '../../../../lib/client/consumer.js';
import { Producer } from '../../../../lib/client/producer.js';
import { ErrorCode } from '../../../../lib/errors/index.js';
import { FakeKafka, type FakeRecordInit } from '../../../../lib/testing/index.js';
import { ReplyConsumer } from '../../../../lib/transport/client/reply-consumer.js';
import { ReplyRouter } from '../../../../lib/transport/client/reply-router.js';
import { RdKafkaParser } from '../../../../lib/transport/serdes/rdkafka.parser.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';
import { until } from '../helpers/wait.js';

function reply(id: string, value: string, disposed = true): FakeRecordInit {
  return {
    value,
    headers: disposed
      ? [
          ['kafka_correlationId', id],
          ['kafka_nest-is-disposed', '1'],
        ]
      : [['kafka_correlationId', id]],
  };
}

describe('ReplyConsumer', () => {
  let kafka: FakeKafka;
  let consumer: Consumer;
  let producer: Producer;
  let router: ReplyRouter;
  let logger: CaptureLogger;
  let replies: ReplyConsumer | undefined;

  beforeEach(async () => {
    kafka = new FakeKafka().createTopic('x.reply', 3);
    consumer = new Consumer({ 'group.id': 'rc', 'enable.auto.commit': false }, kafka.binding);
    producer = new Producer({}, {}, kafka.binding);
    await Promise.all([consumer.connect(), producer.connect()]);
    router = new ReplyRouter(10_000);
    logger = new CaptureLogger();
  });
  afterEach(async () => {
    await replies?.stop();
    replies = undefined;
    await consumer.close();
    await producer.close();
  });

  function start(parser = new RdKafkaParser(), fixedPartition: number | undefined = 1): ReplyConsumer {
    replies = new ReplyConsumer(consumer, producer, router, parser, logger, fixedPartition);
    return replies;
  }

  function expectReply(id: string): WritePacket[] {
    const got: WritePacket[] = [];
    router.register(id, 'x', (p) => got.push(p));
    return got;
  }

  it('assigns its partition at the high watermark: replies already there are not read, new ones are routed', async () => {
    kafka.append('x.reply', [reply('old', '"stale"'), reply('old', '"stale"')], 1);
    const old = expectReply('old');
    expect(await start().ensure('x.reply')).toBe(1);
    expect(consumer.assignment()).toEqual([expect.objectContaining({ topic: 'x.reply', partition: 1 })]);
    const got = expectReply('new');
    kafka.append('x.reply', reply('new', '{"ok":true}'), 1);
    await until(() => got.length === 1, 'the new reply');
    expect(got).toEqual([{ response: { ok: true }, isDisposed: true }]);
    expect(old).toEqual([]);
  });

  it('assigns once per topic; a second ensure() shares the first', async () => {
    const r = start();
    const [a, b] = await Promise.all([r.ensure('x.reply'), r.ensure('x.reply')]);
    expect([a, b]).toEqual([1, 1]);
    expect(kafka.consumers[0]!.assignments()).toEqual([{ topic: 'x.reply', partition: 1 }]);
  });

  it("without a fixed partition picks one of the topic's partitions", async () => {
    const p = await start(new RdKafkaParser(), undefined).ensure('x.reply');
    expect([0, 1, 2]).toContain(p);
  });

  it('keeps reading the partitions of earlier reply topics when it adds another (incremental assign)', async () => {
    kafka.createTopic('y.reply', 1);
    const r = start(new RdKafkaParser(), 0);
    await r.ensure('x.reply');
    await r.ensure('y.reply');
    const x = expectReply('x1');
    const y = expectReply('y1');
    kafka.append('x.reply', reply('x1', '1'), 0);
    kafka.append('y.reply', reply('y1', '2'), 0);
    await until(() => x.length === 1 && y.length === 1, 'a reply on each topic');
    expect([x[0]!.response, y[0]!.response]).toEqual(['1', '2']);
  });

  it('retries metadata while a new reply topic is being created', async () => {
    kafka.inject('metadata', ErrorCode.LEADER_NOT_AVAILABLE, { topic: 'x.reply' });
    expect(await start().ensure('x.reply')).toBe(1);
  });

  it('ignores replies for other instances and streams partial replies until the last', async () => {
    await start().ensure('x.reply');
    const got = expectReply('mine');
    kafka.append('x.reply', [reply('someone-else', '0'), reply('mine', '1', false), reply('mine', '2', false), reply('mine', '3')], 1);
    await until(() => got.length === 3, 'three replies');
    expect(got).toEqual([
      { response: '1', isDisposed: false },
      { response: '2', isDisposed: false },
      { response: '3', isDisposed: true },
    ]);
    expect(router.size).toBe(0);
  });

  it('logs a reply that fails to decode, with its place, and goes on with the next', async () => {
    const parser = new RdKafkaParser({
      valueDeserializer: {
        deserialize: (d) => {
          if (d?.toString() === 'bad') throw new Error('cannot decode');
          return d?.toString();
        },
      },
    });
    await start(parser).ensure('x.reply');
    const got = expectReply('c');
    kafka.append('x.reply', [reply('c', 'bad'), reply('c', 'good')], 1);
    await until(() => got.length === 1, 'the good reply');
    expect(got).toEqual([{ response: 'good', isDisposed: true }]);
    expect(logger.of('error', 'ClientRdKafka').map((l) => l.message)).toEqual([
      expect.stringMatching(/^Could not decode reply x\.reply\[1\]@0: .*cannot decode/),
    ]);
  });

  it('skips a consume error and keeps reading', async () => {
    await start().ensure('x.reply');
    const got = expectReply('c');
    kafka.inject('consume', ErrorCode._TRANSPORT);
    kafka.append('x.reply', reply('c', '1'), 1);
    await until(() => got.length === 1, 'the reply after the error');
  });

  it('stop() ends the loop: later replies are not read', async () => {
    const r = start();
    await r.ensure('x.reply');
    await r.stop();
    const got = expectReply('c');
    kafka.append('x.reply', reply('c', '1'), 1);
    await new Promise((res) => setTimeout(res, 30));
    expect(got).toEqual([]);
  });
});
