import type { KafkaConsumer } from 'node-rdkafka';
import { loadNative } from '../../lib/client/native/load-native.js';
import { AdminClient, ConsumerGroupState, ConsumerGroupType, NewTopic, settleResults } from '../../lib/admin/index.js';
import { allOf, produce, waitFor } from './helpers/admin-env.js';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';
import { disconnectWithin } from './helpers/native-disconnect.js';

/** A node-rdkafka consumer in `groupId` on the given rebalance protocol, consuming `topic` until stopped. */
async function member(groupId: string, topic: string, protocol: 'consumer' | 'classic', clientId: string): Promise<KafkaConsumer> {
  const { KafkaConsumer } = loadNative();
  const c = new KafkaConsumer(
    { 'bootstrap.servers': bootstrapServers(), 'group.id': groupId, 'client.id': clientId, 'group.protocol': protocol },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => c.connect({}, (err) => (err ? reject(err) : resolve())));
  c.subscribe([topic]);
  c.consume();
  return c;
}

describe('AdminClient: KIP-848 (group.protocol=consumer) and classic groups against the broker', () => {
  let admin: AdminClient;
  const topic = uniqueTopic('adm-848');
  const modern = uniqueTopic('adm-848-g');
  const classic = uniqueTopic('adm-classic-g');
  const members: KafkaConsumer[] = [];

  beforeAll(async () => {
    admin = new AdminClient({ 'bootstrap.servers': bootstrapServers() });
    await allOf(admin.createTopics([new NewTopic(topic, { numPartitions: 2 })]));
    await produce(bootstrapServers(), topic, [{ value: 'a' }, { value: 'b' }]);
    members.push(await member(modern, topic, 'consumer', 'kip848-member'), await member(classic, topic, 'classic', 'classic-member'));
    // Both groups settle: the KIP-848 one through Assigning/Reconciling, the classic one through a rebalance.
    await waitFor(async () => {
      const d = await settleResults(admin.describeConsumerGroups([modern, classic]));
      return [...d.values()].every(
        (r) => r.status === 'fulfilled' && r.value.state === ConsumerGroupState.STABLE && r.value.members[0]?.assignment.length === 2,
      );
    }, 30_000);
  }, 60_000);

  afterAll(async () => {
    // One at a time, unsubscribed first: two node-rdkafka consumers closing at once (one KIP-848, one classic)
    // left the classic one's disconnect callback uncalled under jest.
    for (const c of members.reverse()) {
      c.unsubscribe();
      await disconnectWithin(c, 'a group member');
    }
    await settleResults(admin.deleteTopics([topic]));
    await admin.close();
  });

  it('describes a consuming KIP-848 group as CONSUMER and STABLE, with its member and assignment (not DEAD with 0 members)', async () => {
    const d = (await admin.describeConsumerGroups([modern]).get(modern))!;
    expect(d).toMatchObject({
      groupId: modern,
      type: ConsumerGroupType.CONSUMER,
      state: ConsumerGroupState.STABLE,
      isSimpleConsumerGroup: false,
    });
    expect(d.partitionAssignor).not.toBe('');
    expect(d.coordinator).toMatchObject({ id: expect.any(Number), host: '127.0.0.1' });
    expect(d.members).toHaveLength(1);
    expect(d.members[0]!.clientId).toBe('kip848-member');
    expect(d.members[0]!.assignment.map((tp) => `${tp.topic}/${tp.partition}`)).toEqual([`${topic}/0`, `${topic}/1`]);
    expect(d.members[0]!.targetAssignment!.map((tp) => tp.partition)).toEqual([0, 1]);
  });

  it('describes a classic group as CLASSIC with its decoded assignment', async () => {
    const d = (await admin.describeConsumerGroups([classic]).get(classic))!;
    expect(d).toMatchObject({ type: ConsumerGroupType.CLASSIC, state: ConsumerGroupState.STABLE, partitionAssignor: expect.any(String) });
    expect(d.members.map((m) => [m.clientId, m.assignment.map((tp) => tp.partition).sort(), m.targetAssignment])).toEqual([
      ['classic-member', [0, 1], null],
    ]);
  });

  it('lists both with their state and type, and filters by type and by state', async () => {
    const all = await admin.listConsumerGroups();
    expect(all.valid.find((g) => g.groupId === modern)).toMatchObject({
      type: ConsumerGroupType.CONSUMER,
      state: ConsumerGroupState.STABLE,
      protocolType: 'consumer',
    });
    expect(all.valid.find((g) => g.groupId === classic)).toMatchObject({
      type: ConsumerGroupType.CLASSIC,
      state: ConsumerGroupState.STABLE,
    });
    const consumerOnly = (await admin.listConsumerGroups({ types: [ConsumerGroupType.CONSUMER] })).valid.map((g) => g.groupId);
    expect(consumerOnly).toContain(modern);
    expect(consumerOnly).not.toContain(classic);
    const classicOnly = (await admin.listConsumerGroups({ types: [ConsumerGroupType.CLASSIC] })).valid.map((g) => g.groupId);
    expect(classicOnly).toContain(classic);
    expect(classicOnly).not.toContain(modern);
    const stable = (await admin.listConsumerGroups({ states: [ConsumerGroupState.STABLE], types: [ConsumerGroupType.CONSUMER] })).valid.map(
      (g) => g.groupId,
    );
    expect(stable).toContain(modern);
    expect((await admin.listConsumerGroups({ states: [ConsumerGroupState.EMPTY] })).valid.map((g) => g.groupId)).not.toContain(modern);
  });

  it('listGroups (confluent_kafka list_groups) gives every group, or one, with members, coordinator and JSON names', async () => {
    const all = await admin.listGroups();
    expect(all.map((g) => g.id)).toEqual(expect.arrayContaining([modern, classic]));
    const [one] = await admin.listGroups(modern);
    expect(one).toMatchObject({
      id: modern,
      type: ConsumerGroupType.CONSUMER,
      state: ConsumerGroupState.STABLE,
      protocolType: 'consumer',
      broker: { host: '127.0.0.1' },
    });
    expect(one!.members.map((m) => [m.clientId, m.assignment.length])).toEqual([['kip848-member', 2]]);
    expect(JSON.parse(JSON.stringify(one))).toMatchObject({ state: 'STABLE', type: 'CONSUMER' });
  });
});
