import { OFFSET_BEGINNING, OFFSET_END, Producer, TopicPartition } from '../../../lib/index.js';
import { pollMessages, pollUntil, produceValues, testConsumer } from '../helpers/client-helpers.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

describe('Consumer assignment', () => {
  const topic = uniqueTopic('assignment');
  beforeAll(async () => {
    await createTopic(topic, 3);
    for (const partition of [0, 1, 2]) await produceValues(topic, 5, { partition });
  });

  it('adds and removes partitions incrementally, and unassigns everything', async () => {
    const c = testConsumer();
    await c.connect();
    c.incrementalAssign([new TopicPartition(topic, 0, OFFSET_BEGINNING), new TopicPartition(topic, 1, OFFSET_BEGINNING)]);
    expect(
      c
        .assignment()
        .map((tp) => tp.partition)
        .sort(),
    ).toEqual([0, 1]);
    const first = await pollMessages(c, 10);
    expect(new Set(first.map((m) => m.partition))).toEqual(new Set([0, 1]));
    c.incrementalUnassign([new TopicPartition(topic, 0)]);
    c.incrementalAssign([new TopicPartition(topic, 2, OFFSET_BEGINNING)]);
    expect(
      c
        .assignment()
        .map((tp) => tp.partition)
        .sort(),
    ).toEqual([1, 2]);
    const more = await pollMessages(c, 5);
    expect(more.every((m) => m.partition === 2)).toBe(true);
    // Cached watermarks come from the fetches just made.
    const [low, high] = await c.getWatermarkOffsets(new TopicPartition(topic, 2), { cached: true });
    expect([low, high]).toEqual([0, 5]);
    c.unassign();
    expect(c.assignment()).toEqual([]);
    await c.close();
  });

  it('starts at the end with OFFSET_END and sees only new messages', async () => {
    const c = testConsumer();
    await c.connect();
    c.assign([new TopicPartition(topic, 0, OFFSET_END)]);
    expect(await c.consume(10, 1500)).toEqual([]);
    const p = new Producer({ 'bootstrap.servers': bootstrapServers() });
    await p.connect();
    const sent = await p.produceAsync(topic, { value: 'new', partition: 0 });
    const [got] = await pollMessages(c, 1);
    expect(got!.offset).toBe(sent.offset);
    expect(await p.poll(100)).toBe(0);
    const md = await p.listTopics(topic);
    expect(md.topics.get(topic)?.partitions.size).toBe(3);
    expect(md.brokers.size).toBeGreaterThan(0);
    await Promise.all([p.close(), c.close()]);
  });

  it('rebalances cooperatively (cooperative-sticky) through the same callbacks, and unsubscribes', async () => {
    const group = uniqueTopic('coop');
    const owned = [new Set<number>(), new Set<number>()];
    const make = () => testConsumer({ 'group.id': group, 'partition.assignment.strategy': 'cooperative-sticky' });
    const cbs = (i: number) => ({
      onAssign: (_: unknown, tps: TopicPartition[]) => {
        for (const tp of tps) owned[i]!.add(tp.partition);
      },
      onRevoke: (_: unknown, tps: TopicPartition[]) => {
        for (const tp of tps) owned[i]!.delete(tp.partition);
      },
    });
    const a = make();
    const b = make();
    await a.connect();
    a.subscribe([topic], cbs(0));
    await pollUntil([a], () => owned[0]!.size === 3);
    expect(a.rebalanceProtocol()).toBe('COOPERATIVE');
    await b.connect();
    b.subscribe([topic], cbs(1));
    await pollUntil([a, b], () => owned[0]!.size + owned[1]!.size === 3 && owned[1]!.size > 0);
    expect([...owned[0]!].filter((p) => owned[1]!.has(p))).toEqual([]);
    b.unsubscribe();
    await pollUntil([a, b], () => owned[0]!.size === 3 && owned[1]!.size === 0);
    await Promise.all([a.close(), b.close()]);
  });
});
