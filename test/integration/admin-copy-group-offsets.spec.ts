import type { KafkaConsumer, Message } from 'node-rdkafka';
import { loadNative } from '../../lib/client/native/load-native.js';
import { ErrorCode, TopicPartition } from '../../lib/index.js';
import { AdminClient, ConsumerGroupTopicPartitions, NewTopic, settleResults } from '../../lib/admin/index.js';
import { allOf, describedGroup, rejectionOf } from './helpers/admin-env.js';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';
import { disconnectWithin } from './helpers/native-disconnect.js';

const RECORDS = 40;

async function connectedConsumer(groupId: string): Promise<KafkaConsumer> {
  const { KafkaConsumer } = loadNative();
  const c = new KafkaConsumer(
    { 'bootstrap.servers': bootstrapServers(), 'group.id': groupId, 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => c.connect({}, (err) => (err ? reject(err) : resolve())));
  return c;
}

/** Consumes exactly `count` records (bounded by a deadline), committing each one as a service would. */
async function consumeAndCommit(c: KafkaConsumer, topic: string, count: number): Promise<Message[]> {
  c.subscribe([topic]);
  const out: Message[] = [];
  const deadline = Date.now() + 30_000;
  while (out.length < count && Date.now() < deadline) {
    const batch = await new Promise<Message[]>((resolve, reject) => c.consume(1, (err, m) => (err ? reject(err) : resolve(m))));
    for (const m of batch) {
      out.push(m);
      c.commitMessageSync(m);
    }
  }
  return out;
}

async function close(c: KafkaConsumer): Promise<void> {
  c.unsubscribe();
  await disconnectWithin(c, 'the group member');
}

describe('AdminClient.copyConsumerGroupOffsets: moving a service to a new group id', () => {
  let admin: AdminClient;
  const topic = uniqueTopic('adm-copy');

  beforeAll(async () => {
    admin = new AdminClient({ 'bootstrap.servers': bootstrapServers() });
    await allOf(admin.createTopics([new NewTopic(topic, { numPartitions: 2 })]));
    const { HighLevelProducer } = loadNative();
    const producer = new HighLevelProducer({ 'bootstrap.servers': bootstrapServers() });
    await new Promise<void>((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())));
    for (let i = 0; i < RECORDS; i++) {
      await new Promise<void>((resolve, reject) =>
        producer.produce(topic, i % 2, Buffer.from(`r${i}`), null, Date.now(), (err: unknown) => (err ? reject(err) : resolve())),
      );
    }
    await disconnectWithin(producer, 'the producer');
  });

  afterAll(async () => {
    await settleResults(admin.deleteTopics([topic]));
    await admin.close();
  });

  it("the new group starts right after the old group's last committed record: none replayed, none skipped", async () => {
    const [groupA, groupB] = [uniqueTopic('adm-copy-a'), uniqueTopic('adm-copy-b')];
    const service = await connectedConsumer(groupA);
    const first = await consumeAndCommit(service, topic, RECORDS / 2);
    await close(service);
    expect(first).toHaveLength(RECORDS / 2);

    const copied = await admin.copyConsumerGroupOffsets(groupA, groupB);
    const committedA = (await admin.listConsumerGroupOffsets([new ConsumerGroupTopicPartitions(groupA)]).get(groupA))!;
    const asText = (g: ConsumerGroupTopicPartitions): string[] =>
      g.topicPartitions!.map((tp) => `${tp.topic}/${tp.partition}@${tp.offset}`).sort();
    expect(asText(copied)).toEqual(asText(committedA));

    const successor = await connectedConsumer(groupB);
    const rest = await consumeAndCommit(successor, topic, RECORDS / 2);
    await close(successor);
    const values = (ms: Message[]): string[] => ms.map((m) => m.value!.toString());
    // Every record exactly once across the two groups, and per partition B starts where A's commit points.
    expect([...values(first), ...values(rest)].sort()).toEqual(Array.from({ length: RECORDS }, (_, i) => `r${i}`).sort());
    for (const tp of committedA.topicPartitions!) {
      const firstOfB = rest.filter((m) => m.partition === tp.partition).map((m) => m.offset)[0];
      if (firstOfB !== undefined) expect(firstOfB).toBe(tp.offset);
    }
  }, 90_000);

  it('refuses a target group with members (NON_EMPTY_GROUP), a source with nothing committed (_NO_OFFSET), and bad arguments', async () => {
    const [target, empty] = [uniqueTopic('adm-copy-t'), uniqueTopic('adm-copy-none')];
    const active = await connectedConsumer(target);
    active.subscribe([topic]);
    active.consume();
    try {
      let error = await rejectionOf(admin.copyConsumerGroupOffsets(empty, uniqueTopic('adm-copy-x')));
      expect(error.code).toBe(ErrorCode._NO_OFFSET);
      expect(error.message).toMatch(/has no committed offsets/);
      // Wait until the target has joined: a member that is still joining would also overwrite the copy.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && ((await describedGroup(admin, target))?.members.length ?? 0) === 0) {
        await new Promise((r) => setTimeout(r, 200));
      }
      error = await rejectionOf(admin.copyConsumerGroupOffsets(empty, target));
      expect(error.code).toBe(ErrorCode.NON_EMPTY_GROUP);
      expect(error.message).toMatch(new RegExp(`target group ${target} is \\w+ with 1 member\\(s\\); stop its consumers first`));
    } finally {
      await close(active);
    }
    expect(() => admin.copyConsumerGroupOffsets('same', 'same')).toThrow(TypeError);
    expect(() => admin.copyConsumerGroupOffsets('a', 'b', { topics: [] })).toThrow(TypeError);
  }, 60_000);

  it('copies only the requested topics', async () => {
    const [source, target] = [uniqueTopic('adm-copy-src'), uniqueTopic('adm-copy-dst')];
    await admin
      .alterConsumerGroupOffsets([
        new ConsumerGroupTopicPartitions(source, [new TopicPartition(topic, 0, 5), new TopicPartition(topic, 1, 7)]),
      ])
      .get(source);
    const copied = await admin.copyConsumerGroupOffsets(source, target, { topics: [topic] });
    expect(copied.topicPartitions!.map((tp) => [tp.partition, tp.offset]).sort()).toEqual([
      [0, 5],
      [1, 7],
    ]);
    const error = await rejectionOf(admin.copyConsumerGroupOffsets(source, uniqueTopic('adm-copy-dst2'), { topics: ['no-such-topic'] }));
    expect(error.code).toBe(ErrorCode._NO_OFFSET);
    expect(error.message).toMatch(/for topic\(s\) no-such-topic/);
  });
});
