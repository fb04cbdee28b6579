import { ErrorCode, KafkaException, TopicPartition } from '../../../lib/index.js';
import {
  ConsumerGroupState,
  ConsumerGroupTopicPartitions,
  ConsumerGroupType,
  JsonMap,
  type ConsumerGroupDescription,
} from '../../../lib/admin/index.js';
import { copyConsumerGroupOffsets, type GroupCopyAdmin } from '../../../lib/admin/ops/group-copy.ops.js';
import { toGroupState } from '../../../lib/admin/ops/group-describe.ops.js';

/** A target group as the broker describes it: its state and how many members it has. */
interface FakeGroup {
  state: ConsumerGroupState;
  members: number;
}

/**
 * An admin whose groups' committed offsets live in memory; records what was altered. A group missing from
 * `groups` is one the broker does not know (GROUP_ID_NOT_FOUND, as Kafka 4's DescribeGroups v6 says).
 */
class FakeGroupAdmin implements GroupCopyAdmin {
  readonly altered: ConsumerGroupTopicPartitions[] = [];
  constructor(
    private readonly committed: Record<string, TopicPartition[]>,
    private readonly groups: Record<string, FakeGroup> = {},
  ) {}

  describeConsumerGroups(groupIds: readonly string[]) {
    return new Map(groupIds.map((id) => [id, this.describe(id)]));
  }

  listConsumerGroupOffsets(requests: readonly ConsumerGroupTopicPartitions[]) {
    return new Map(
      requests.map((r) => [r.groupId, Promise.resolve(new ConsumerGroupTopicPartitions(r.groupId, this.committed[r.groupId] ?? []))]),
    );
  }

  alterConsumerGroupOffsets(requests: readonly ConsumerGroupTopicPartitions[]) {
    this.altered.push(...requests);
    return new Map(requests.map((r) => [r.groupId, Promise.resolve(r)]));
  }

  private describe(groupId: string): Promise<ConsumerGroupDescription> {
    const g = this.groups[groupId];
    if (!g) return Promise.reject(new KafkaException(ErrorCode.GROUP_ID_NOT_FOUND));
    const members = Array.from({ length: g.members }, (_, i) => ({
      memberId: `m${i}`,
      clientId: 'c',
      host: '/127.0.0.1',
      assignment: [],
      targetAssignment: null,
      groupInstanceId: null,
    }));
    return Promise.resolve({
      groupId,
      isSimpleConsumerGroup: false,
      members,
      partitionAssignor: 'range',
      state: g.state,
      type: ConsumerGroupType.CLASSIC,
      coordinator: null,
    });
  }
}

const tp = (topic: string, partition: number, offset: number) => new TopicPartition(topic, partition, offset);

describe('copyConsumerGroupOffsets', () => {
  it("commits the source group's offsets, unchanged, for a target group the broker does not know yet", async () => {
    const admin = new FakeGroupAdmin({ old: [tp('orders', 0, 12), tp('orders', 1, 7), tp('audit', 0, 3)] });
    const result = await copyConsumerGroupOffsets(admin, 'old', 'new');
    expect(result.groupId).toBe('new');
    expect(result.topicPartitions!.map((t) => [t.topic, t.partition, t.offset])).toEqual([
      ['orders', 0, 12],
      ['orders', 1, 7],
      ['audit', 0, 3],
    ]);
    expect(admin.altered).toHaveLength(1);
  });

  it('copies only the listed topics', async () => {
    const admin = new FakeGroupAdmin({ old: [tp('orders', 0, 12), tp('audit', 0, 3)] });
    const result = await copyConsumerGroupOffsets(admin, 'old', 'new', { topics: ['audit'] });
    expect(result.topicPartitions!.map((t) => [t.topic, t.partition, t.offset])).toEqual([['audit', 0, 3]]);
  });

  it('refuses a target with offsets of its own for those partitions (_CONFLICT), unless overwrite', async () => {
    const admin = new FakeGroupAdmin(
      { old: [tp('orders', 0, 12)], live: [tp('orders', 0, 40)] },
      { live: { state: ConsumerGroupState.EMPTY, members: 0 } },
    );
    const copy = copyConsumerGroupOffsets(admin, 'old', 'live');
    await expect(copy).rejects.toBeInstanceOf(KafkaException);
    await expect(copy).rejects.toMatchObject({
      code: ErrorCode._CONFLICT,
      message: expect.stringContaining("group 'live' already committed orders[0]@40"),
    });
    expect(admin.altered).toEqual([]);
    await expect(copyConsumerGroupOffsets(admin, 'old', 'live', { overwrite: true })).resolves.toMatchObject({ groupId: 'live' });
  });

  it('refuses a target with members (NON_EMPTY_GROUP), even with overwrite, and changes nothing', async () => {
    const admin = new FakeGroupAdmin({ old: [tp('orders', 0, 12)] }, { busy: { state: ConsumerGroupState.STABLE, members: 2 } });
    for (const overwrite of [false, true]) {
      await expect(copyConsumerGroupOffsets(admin, 'old', 'busy', { overwrite })).rejects.toMatchObject({
        code: ErrorCode.NON_EMPTY_GROUP,
        message: expect.stringContaining('target group busy is STABLE with 2 member(s)'),
      });
    }
    expect(admin.altered).toEqual([]);
  });

  it('refuses a source without committed offsets (_NO_OFFSET) and the same group twice (TypeError)', async () => {
    const admin = new FakeGroupAdmin({ old: [tp('orders', 0, 12)] });
    await expect(copyConsumerGroupOffsets(admin, 'old', 'new', { topics: ['payments'] })).rejects.toMatchObject({
      code: ErrorCode._NO_OFFSET,
    });
    await expect(copyConsumerGroupOffsets(admin, 'empty', 'new')).rejects.toMatchObject({ code: ErrorCode._NO_OFFSET });
    expect(() => copyConsumerGroupOffsets(admin, 'old', 'old')).toThrow(TypeError);
    expect(admin.altered).toEqual([]);
  });
});

describe('admin results as JSON', () => {
  it('a JsonMap stays a Map and serializes as an object of its entries', () => {
    const topics = new JsonMap([['orders', { name: 'orders' }]]);
    expect(topics).toBeInstanceOf(Map);
    expect(topics.get('orders')).toEqual({ name: 'orders' });
    expect(JSON.parse(JSON.stringify({ topics }))).toEqual({ topics: { orders: { name: 'orders' } } });
  });

  it("a group's state and type are confluent_kafka's names, in JS and in JSON", () => {
    const group = { groupId: 'g', state: toGroupState('Empty'), type: ConsumerGroupType.CONSUMER };
    expect(group).toEqual({ groupId: 'g', state: ConsumerGroupState.EMPTY, type: 'CONSUMER' });
    expect(JSON.parse(JSON.stringify([group]))).toEqual([{ groupId: 'g', state: 'EMPTY', type: 'CONSUMER' }]);
    // Every state, the KIP-848 ones included, serializes as its own name (never a number or UNKNOWN(…)).
    for (const [name, value] of Object.entries(ConsumerGroupState)) expect(JSON.stringify({ state: value })).toBe(`{"state":"${name}"}`);
    expect(toGroupState('Reconciling')).toBe(ConsumerGroupState.RECONCILING);
  });
});
