import { randomUUID } from 'node:crypto';
import { KafkaException, Producer, TopicPartition, type Message } from '../../../lib/index.js';
import { pollMessages, produceValues, testConsumer } from '../helpers/client-helpers.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

function txProducer(): Producer {
  return new Producer({ 'bootstrap.servers': bootstrapServers(), 'transactional.id': `tx-${randomUUID()}` });
}

describe('Producer transactions', () => {
  it('shows a committed transaction to a read_committed consumer and hides an aborted one', async () => {
    const topic = uniqueTopic('tx');
    await createTopic(topic, 1);
    const p = txProducer();
    await p.connect();
    await p.initTransactions();
    await p.beginTransaction();
    for (let i = 0; i < 5; i++) p.produce(topic, `committed-${i}`);
    await p.commitTransaction();
    await p.beginTransaction();
    for (let i = 0; i < 5; i++) p.produce(topic, `aborted-${i}`);
    await p.flush(10_000);
    await p.abortTransaction();
    await p.beginTransaction();
    p.produce(topic, 'last');
    await p.commitTransaction();
    await p.close();

    const c = testConsumer({ 'isolation.level': 'read_committed' });
    await c.connect();
    c.subscribe([topic]);
    const got = await pollMessages(c, 6);
    expect(got.map((m) => m.value!.toString())).toEqual([
      'committed-0',
      'committed-1',
      'committed-2',
      'committed-3',
      'committed-4',
      'last',
    ]);
    expect(await c.consume(10, 1000)).toEqual([]);
    await c.close();
  });

  it('commits consumed offsets with the produced results (consume-transform-produce)', async () => {
    const input = uniqueTopic('ctp-in');
    const output = uniqueTopic('ctp-out');
    await createTopic(input, 1);
    await createTopic(output, 1);
    await produceValues(input, 10, { partition: 0 });

    const consumer = testConsumer({ 'enable.auto.commit': false, 'isolation.level': 'read_committed' });
    await consumer.connect();
    consumer.subscribe([input]);
    const producer = txProducer();
    await producer.connect();
    await producer.initTransactions();

    const batch: Message[] = await pollMessages(consumer, 10);
    await producer.beginTransaction();
    for (const m of batch) producer.produce(output, `${m.value!.toString()}-transformed`);
    const positions = [new TopicPartition(input, 0, batch.at(-1)!.offset + 1)];
    await producer.sendOffsetsToTransaction(positions, consumer.consumerGroupMetadata());
    await producer.commitTransaction();

    const [committed] = await consumer.committed([new TopicPartition(input, 0)]);
    expect(committed!.offset).toBe(10);
    const check = testConsumer({ 'isolation.level': 'read_committed' });
    await check.connect();
    check.subscribe([output]);
    expect((await pollMessages(check, 10)).map((m) => m.value!.toString())).toEqual(batch.map((m) => `${m.value!.toString()}-transformed`));
    await Promise.all([check.close(), consumer.close(), producer.close()]);
  });

  it('rejects transactional calls on a producer without transactional.id with a typed error', async () => {
    const p = new Producer({ 'bootstrap.servers': bootstrapServers() });
    await p.connect();
    await expect(p.initTransactions(5000)).rejects.toBeInstanceOf(KafkaException);
    await expect(p.beginTransaction()).rejects.toBeInstanceOf(KafkaException);
    await p.close();
  });
});
