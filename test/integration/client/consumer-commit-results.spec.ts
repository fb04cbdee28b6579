import { ErrorCode, KafkaException, Producer, TopicPartition, type KafkaError } from '../../../lib/index.js';
import { pollMessages, produceValues, testConsumer } from '../helpers/client-helpers.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

describe('Consumer commit results', () => {
  const topic = uniqueTopic('commit-results');
  beforeAll(async () => {
    await createTopic(topic, 1);
    await produceValues(topic, 5, { partition: 0 });
  });

  it('commit() with no arguments, synchronous, returns the committed offsets, not the read position', async () => {
    const c = testConsumer({ 'enable.auto.commit': false, 'enable.auto.offset.store': false });
    await c.connect();
    // Subscribed, not assigned: librdkafka stores offsets only for partitions the group gave it.
    c.subscribe([topic]);
    const got = await pollMessages(c, 5);
    expect(got).toHaveLength(5);
    // Processed up to the second message only: that is what is stored, and so what a commit commits.
    c.storeOffsets({ message: got[1] });
    const committed = await c.commit({ asynchronous: false });
    expect(committed.map((tp) => [tp.topic, tp.partition, tp.offset])).toEqual([[topic, 0, 2]]);
    expect(c.position().map((tp) => tp.offset)).toEqual([5]);
    expect((await c.committed([new TopicPartition(topic, 0)]))[0]!.offset).toBe(2);
    await c.close();
  });

  it('refuses commit metadata with _NOT_IMPLEMENTED instead of dropping it, and commits nothing', async () => {
    const c = testConsumer({ 'enable.auto.commit': false });
    await c.connect();
    c.assign([new TopicPartition(topic, 0, -2)]);
    await pollMessages(c, 1);
    const withMetadata = [new TopicPartition(topic, 0, 3, { metadata: 'checkpoint-7' })];
    for (const asynchronous of [true, false]) {
      const err = await c.commit({ offsets: withMetadata, asynchronous }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KafkaException);
      expect((err as KafkaException).code).toBe(ErrorCode._NOT_IMPLEMENTED);
      expect((err as KafkaException).message).toContain(`commit(): commit metadata cannot be stored (${topic} [0])`);
    }
    expect(() => c.storeOffsets({ offsets: withMetadata })).toThrow(/storeOffsets\(\): commit metadata cannot be stored/);
    expect((await c.committed([new TopicPartition(topic, 0)]))[0]!.offset).toBe(-1001);
    // Empty metadata is no metadata: accepted.
    await c.commit({ offsets: [new TopicPartition(topic, 0, 3, { metadata: '' })], asynchronous: false });
    expect((await c.committed([new TopicPartition(topic, 0)]))[0]).toMatchObject({ offset: 3, metadata: null });
    await c.close();
  });

  it('refuses commit metadata in sendOffsetsToTransaction()', async () => {
    const c = testConsumer();
    const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'transactional.id': uniqueTopic('tx') });
    await Promise.all([c.connect(), p.connect()]);
    await p.initTransactions();
    await p.beginTransaction();
    const err = await p.sendOffsetsToTransaction([new TopicPartition(topic, 0, 1, { metadata: 'm' })], c.consumerGroupMetadata()).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as KafkaException).code).toBe(ErrorCode._NOT_IMPLEMENTED);
    await p.abortTransaction();
    await Promise.all([p.close(), c.close()]);
  });

  it('calls on_commit for an asynchronous commit without a poll', async () => {
    const results: Array<{ error: KafkaError | null; partitions: TopicPartition[]; at: number }> = [];
    const t0 = { at: 0 };
    const c = testConsumer({
      'enable.auto.commit': false,
      on_commit: (error, partitions) => results.push({ error, partitions, at: Date.now() - t0.at }),
    });
    await c.connect();
    c.assign([new TopicPartition(topic, 0, -2)]);
    const [first] = await pollMessages(c, 1);
    t0.at = Date.now();
    await c.commit({ message: first, asynchronous: true });
    // No poll, consume or close from here on until the result is in.
    const deadline = Date.now() + 5000;
    while (results.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    console.log(`on_commit arrived ${results[0]?.at} ms after commit() without a poll`);
    expect(results).toHaveLength(1);
    expect(results[0]!.error).toBeNull();
    expect(results[0]!.partitions.map((tp) => [tp.partition, tp.offset])).toEqual([[0, first!.offset + 1]]);
    // The messages after it are still delivered, in order, none skipped by the background serve.
    const rest = await pollMessages(c, 4);
    expect(rest.map((m) => m.offset)).toEqual([1, 2, 3, 4]);
    await c.close();
  });

  it('keeps a partition the application paused paused while on_commit is served without a poll', async () => {
    let results = 0;
    const c = testConsumer({
      'enable.auto.commit': false,
      on_commit: () => {
        results++;
      },
    });
    await c.connect();
    const tp = new TopicPartition(topic, 0, -2);
    c.assign([tp]);
    const [first] = await pollMessages(c, 1);
    c.pause([tp]);
    await c.commit({ message: first, asynchronous: true });
    const deadline = Date.now() + 5000;
    while (results === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(results).toBe(1);
    expect((await c.consume(5, 500)).filter((m) => !m.error)).toEqual([]);
    c.resume([tp]);
    expect((await pollMessages(c, 4)).map((m) => m.offset)).toEqual([1, 2, 3, 4]);
    await c.close();
  });
});
