import { ErrorCode, KafkaError, KafkaException, OFFSET_BEGINNING, TopicPartition, type Message } from '../../../lib/index.js';
import { pollMessages, pollUntil, produceValues, testConsumer } from '../helpers/client-helpers.js';
import { uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

describe('Consumer consuming and committing', () => {
  const topic = uniqueTopic('consumer');

  beforeAll(async () => {
    await createTopic(topic, 2);
    await produceValues(topic, 20, { keys: 4, partition: 0 });
    await produceValues(topic, 20, { keys: 4, partition: 1 });
  });

  it('polls every message with key, value, headers and timestamp, then reports end of partition as a Message', async () => {
    const c = testConsumer({ 'enable.partition.eof': true });
    await c.connect();
    c.subscribe([topic]);
    const got: Message[] = [];
    const eofs = new Set<number>();
    const deadline = Date.now() + 30_000;
    while (eofs.size < 2 && Date.now() < deadline) {
      for (const m of await c.consume(100, 500)) {
        if (m.error?.code === ErrorCode._PARTITION_EOF) eofs.add(m.partition);
        else if (!m.error) got.push(m);
      }
    }
    expect(got).toHaveLength(40);
    expect(eofs).toEqual(new Set([0, 1]));
    expect(got.every((m) => m.key?.toString().startsWith('k') && m.value?.toString().startsWith('v'))).toBe(true);
    expect(got.every((m) => m.timestamp[1] > 0)).toBe(true);
    await c.close();
  });

  it('commits synchronously, reads the commit back with committed(), and calls on_commit for async commits', async () => {
    const commits: Array<[KafkaError | null, TopicPartition[]]> = [];
    const c = testConsumer({ 'enable.auto.commit': false, on_commit: (err, tps) => commits.push([err, tps]) });
    await c.connect();
    c.subscribe([topic]);
    const msgs = await pollMessages(c, 40);
    const last = msgs.filter((m) => m.partition === 0).at(-1)!;
    const done = await c.commit({ message: last, asynchronous: false });
    expect(done).toEqual([expect.objectContaining({ topic, partition: 0, offset: last.offset + 1 })]);
    const [committed] = await c.committed([new TopicPartition(topic, 0)]);
    expect(committed!.offset).toBe(last.offset + 1);

    const p1 = msgs.filter((m) => m.partition === 1).at(-1)!;
    await c.commit({ offsets: [new TopicPartition(topic, 1, p1.offset + 1)] });
    // librdkafka reports every commit to on_commit, the synchronous one above included.
    const isP1 = ([, tps]: [KafkaError | null, TopicPartition[]]) => tps.some((tp) => tp.partition === 1);
    await pollUntil([c], () => commits.some(isP1));
    const [err, tps] = commits.find(isP1)!;
    expect(err).toBeNull();
    expect(tps).toEqual([expect.objectContaining({ topic, partition: 1, offset: p1.offset + 1 })]);
    await c.close();
  });

  it('seeks back, pauses and resumes an assigned partition', async () => {
    const c = testConsumer();
    await c.connect();
    c.assign([new TopicPartition(topic, 0, OFFSET_BEGINNING)]);
    const first = await pollMessages(c, 5);
    expect(first.map((m) => m.offset)).toEqual([0, 1, 2, 3, 4]);

    await c.seek(new TopicPartition(topic, 0, 2));
    const again = await pollMessages(c, 1);
    expect(again[0]!.offset).toBe(2);

    c.pause([new TopicPartition(topic, 0)]);
    expect(await c.consume(10, 1500)).toEqual([]);
    c.resume([new TopicPartition(topic, 0)]);
    expect((await pollMessages(c, 1))[0]!.offset).toBe(3);
    expect(c.position([new TopicPartition(topic, 0)])[0]!.offset).toBe(4);
    await c.close();
  });

  it('queries watermarks and offsets for times', async () => {
    const c = testConsumer();
    await c.connect();
    const [low, high] = await c.getWatermarkOffsets(new TopicPartition(topic, 0));
    expect(low).toBe(0);
    expect(high).toBeGreaterThan(0);
    const [byTime] = await c.offsetsForTimes([new TopicPartition(topic, 0, 0)]);
    expect(byTime!.offset).toBe(0);
    const [future] = await c.offsetsForTimes([new TopicPartition(topic, 0, Date.now() + 3_600_000)]);
    expect(future!.offset).toBe(-1);
    const md = await c.listTopics(topic);
    expect(md.topics.get(topic)?.partitions.size).toBe(2);
    await c.close();
  });

  it('gives typed errors for bad calls and stays usable', async () => {
    const c = testConsumer();
    await c.connect();
    c.assign([new TopicPartition(topic, 0, OFFSET_BEGINNING)]);
    await expect(c.seek(new TopicPartition(topic, 1, 0))).rejects.toBeInstanceOf(KafkaException);
    expect(() => c.pause([new TopicPartition('no-such-topic-x', 0)])).not.toThrow(); // librdkafka ignores unknown partitions
    await expect(c.commit({ offsets: [new TopicPartition(topic, 0, 1)], asynchronous: false })).resolves.toHaveLength(1);
    expect(() => c.memberId()).toThrow(expect.objectContaining({ code: ErrorCode._NOT_IMPLEMENTED }));
    expect((await pollMessages(c, 1)).length).toBe(1);
    await c.close();
    await expect(c.poll(10)).rejects.toMatchObject({ code: ErrorCode._STATE });
    expect(() => c.subscribe([topic])).toThrow(KafkaException);
    expect(() => testConsumer({ 'group.id': '' })).toThrow(/group.id/);
  });
});
