import type { KafkaConsumer } from 'node-rdkafka';
import { loadNative } from '../../lib/client/native/load-native.js';
import { ErrorCode, OFFSET_INVALID, TopicPartition } from '../../lib/index.js';
import {
  AdminClient,
  ConsumerGroupState,
  ConsumerGroupTopicPartitions,
  NewTopic,
  OffsetSpec,
  settleResults,
} from '../../lib/admin/index.js';
import { allOf, describedGroup, produce, rejectionOf, waitFor } from './helpers/admin-env.js';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';
import { disconnectWithin } from './helpers/native-disconnect.js';

/** A node-rdkafka consumer that joins `groupId` and consumes `topic` until stopped. */
async function activeMember(groupId: string, topic: string): Promise<KafkaConsumer> {
  const { KafkaConsumer } = loadNative();
  const c = new KafkaConsumer(
    { 'bootstrap.servers': bootstrapServers(), 'group.id': groupId, 'client.id': 'adm-member' },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => c.connect({}, (err) => (err ? reject(err) : resolve())));
  c.subscribe([topic]);
  c.consume();
  return c;
}

describe('AdminClient: groups, group offsets, records and offsets against the broker', () => {
  let admin: AdminClient;
  const topic = uniqueTopic('adm-grp');
  const now = Date.now();
  let member: KafkaConsumer | undefined;

  beforeAll(async () => {
    admin = new AdminClient({ 'bootstrap.servers': bootstrapServers() });
    await allOf(admin.createTopics([new NewTopic(topic, { numPartitions: 2 })]));
    await produce(bootstrapServers(), topic, [
      { value: 'a', timestamp: now - 60_000 },
      { value: 'b', timestamp: now + 3_600_000 },
      { value: 'c', timestamp: now - 30_000 },
      { value: 'd', timestamp: now - 10_000 },
    ]);
  });

  afterAll(async () => {
    if (member) await disconnectWithin(member, 'the group member');
    await settleResults(admin.deleteTopics([topic]));
    await admin.close();
  });

  it('lists offsets for every OffsetSpec, including max timestamp, and fails an unknown partition alone', async () => {
    const offsetOf = async (partition: number, spec: OffsetSpec): Promise<number> => {
      const tp = new TopicPartition(topic, partition);
      return (await admin.listOffsets(new Map([[tp, spec]])).get(tp))!.offset;
    };
    expect(await offsetOf(0, OffsetSpec.earliest())).toBe(0);
    expect(await offsetOf(0, OffsetSpec.latest())).toBe(4);
    expect(await offsetOf(0, OffsetSpec.maxTimestamp())).toBe(1);
    expect(await offsetOf(0, OffsetSpec.forTimestamp(now - 70_000))).toBe(0);
    // The first record at or after the time, in offset order: offset 1 (an hour ahead), not offset 3.
    expect(await offsetOf(0, OffsetSpec.forTimestamp(now - 20_000))).toBe(1);
    const [p1, unknown] = [new TopicPartition(topic, 1), new TopicPartition(topic, 7)];
    const results = admin.listOffsets(
      new Map([
        [p1, OffsetSpec.latest()],
        [unknown, OffsetSpec.latest()],
      ]),
      { isolationLevel: 1 },
    );
    await expect(results.get(p1)).resolves.toEqual({ offset: 0, timestamp: -1, leaderEpoch: null });
    expect((await rejectionOf(results.get(unknown))).code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PART);
  });

  it('alters and lists the offsets of an empty group, then lists, describes and deletes it', async () => {
    const groupId = uniqueTopic('adm-g-empty');
    const altered = admin.alterConsumerGroupOffsets([new ConsumerGroupTopicPartitions(groupId, [new TopicPartition(topic, 0, 3)])]);
    await expect(altered.get(groupId)).resolves.toBeInstanceOf(ConsumerGroupTopicPartitions);
    const listed = (await admin
      .listConsumerGroupOffsets([new ConsumerGroupTopicPartitions(groupId, [new TopicPartition(topic, 0), new TopicPartition(topic, 1)])])
      .get(groupId))!;
    expect(listed.topicPartitions!.map((tp) => [tp.partition, tp.offset, tp.metadata])).toEqual([
      [0, 3, null],
      [1, OFFSET_INVALID, null],
    ]);
    const all = (await admin.listConsumerGroupOffsets([new ConsumerGroupTopicPartitions(groupId)]).get(groupId))!;
    expect(all.topicPartitions!.map((tp) => `${tp.topic}/${tp.partition}@${tp.offset}`)).toEqual([`${topic}/0@3`]);
    const groups = await admin.listConsumerGroups({ states: [ConsumerGroupState.EMPTY] });
    expect(groups.valid.find((g) => g.groupId === groupId)).toMatchObject({ state: ConsumerGroupState.EMPTY });
    const missing = uniqueTopic('adm-g-missing');
    const deleted = admin.deleteConsumerGroups([groupId, missing]);
    await expect(deleted.get(groupId)).resolves.toBeUndefined();
    expect((await rejectionOf(deleted.get(missing))).code).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('describes an active group with its member and assignment, refuses to alter its offsets or delete it', async () => {
    const groupId = uniqueTopic('adm-g-active');
    member = await activeMember(groupId, topic);
    await waitFor(async () => (await describedGroup(admin, groupId))?.state === ConsumerGroupState.STABLE);
    const d = (await admin.describeConsumerGroups([groupId]).get(groupId))!;
    expect(d).toMatchObject({ groupId, isSimpleConsumerGroup: false, partitionAssignor: expect.any(String) });
    expect(d.members).toHaveLength(1);
    expect(d.members[0]!.clientId).toBe('adm-member');
    expect(d.members[0]!.assignment.map((tp) => tp.partition).sort()).toEqual([0, 1]);
    const alter = admin.alterConsumerGroupOffsets([new ConsumerGroupTopicPartitions(groupId, [new TopicPartition(topic, 0, 1)])]);
    const alterErr = await rejectionOf(alter.get(groupId));
    expect([ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.ILLEGAL_GENERATION]).toContain(alterErr.code);
    expect((await rejectionOf(admin.deleteConsumerGroups([groupId]).get(groupId))).code).toBe(ErrorCode.NON_EMPTY_GROUP);
  });

  it('deletes records and reports the new low watermark, failing an unknown partition alone', async () => {
    const p0 = new TopicPartition(topic, 0, 2);
    const bad = new TopicPartition(topic, 9, 1);
    const results = admin.deleteRecords([p0, bad]);
    await expect(results.get(p0)).resolves.toEqual({ lowWatermark: 2 });
    expect((await rejectionOf(results.get(bad))).code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PART);
    const low = admin.listOffsets(new Map([[new TopicPartition(topic, 0), OffsetSpec.earliest()]]));
    expect((await [...low.values()][0])!.offset).toBe(2);
  });

  it('rejects bad arguments synchronously with a TypeError', () => {
    expect(() => admin.deleteRecords([])).toThrow(TypeError);
    expect(() => admin.alterConsumerGroupOffsets([new ConsumerGroupTopicPartitions('g', [new TopicPartition(topic, 0)])])).toThrow(
      TypeError,
    );
    expect(() => admin.deleteConsumerGroups(['a', 'a'])).toThrow(/duplicate/);
  });
});
