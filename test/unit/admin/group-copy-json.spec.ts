import {
  ConsumerGroupState,
  ConsumerGroupTopicPartitions,
  ErrorCode,
  JsonMap,
  KafkaException,
  TopicPartition,
} from '../../../lib/index.js';
import { withGroupStateName } from '../../../lib/admin/json-friendly.js';
import { copyConsumerGroupOffsets, type GroupOffsetsAdmin } from '../../../lib/admin/ops/group-copy.ops.js';

/** An admin whose groups' committed offsets live in memory; records what was altered. */
class FakeGroupAdmin implements GroupOffsetsAdmin {
  readonly altered: ConsumerGroupTopicPartitions[] = [];
  constructor(private readonly committed: Record<string, TopicPartition[]>) {}

  listConsumerGroupOffsets(requests: readonly ConsumerGroupTopicPartitions[]) {
    return new Map(
      requests.map((r) => [r.groupId, Promise.resolve(new ConsumerGroupTopicPartitions(r.groupId, this.committed[r.groupId] ?? []))]),
    );
  }

  alterConsumerGroupOffsets(requests: readonly ConsumerGroupTopicPartitions[]) {
    this.altered.push(...requests);
    return new Map(requests.map((r) => [r.groupId, Promise.resolve(r)]));
  }
}

const tp = (topic: string, partition: number, offset: number) => new TopicPartition(topic, partition, offset);

describe('copyConsumerGroupOffsets', () => {
  it("commits the source group's offsets, unchanged, for the target group", async () => {
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
    const admin = new FakeGroupAdmin({ old: [tp('orders', 0, 12)], live: [tp('orders', 0, 40)] });
    const copy = copyConsumerGroupOffsets(admin, 'old', 'live');
    await expect(copy).rejects.toBeInstanceOf(KafkaException);
    await expect(copy).rejects.toMatchObject({
      code: ErrorCode._CONFLICT,
      message: expect.stringContaining("group 'live' already committed orders[0]@40"),
    });
    expect(admin.altered).toEqual([]);
    await expect(copyConsumerGroupOffsets(admin, 'old', 'live', { overwrite: true })).resolves.toMatchObject({ groupId: 'live' });
  });

  it('refuses a source without committed offsets (_NO_OFFSET) and the same group twice (TypeError)', async () => {
    const admin = new FakeGroupAdmin({ old: [tp('orders', 0, 12)] });
    await expect(copyConsumerGroupOffsets(admin, 'old', 'new', { topics: ['payments'] })).rejects.toMatchObject({
      code: ErrorCode._NO_OFFSET,
    });
    await expect(copyConsumerGroupOffsets(admin, 'old', 'old')).rejects.toThrow(TypeError);
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

  it('a group keeps its numeric state in JS and writes it by name in JSON', () => {
    const group = withGroupStateName({ groupId: 'g', state: ConsumerGroupState.EMPTY });
    expect(group).toEqual({ groupId: 'g', state: 5 });
    expect(JSON.parse(JSON.stringify([group]))).toEqual([{ groupId: 'g', state: 'EMPTY' }]);
  });
});
