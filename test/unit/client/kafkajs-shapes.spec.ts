import { expandTopicPartitions, toCommitOffsets } from '../../../lib/client/kafkajs-shapes.js';
import { ErrorCode, KafkaException } from '../../../lib/index.js';

describe("kafkajs shapes accepted by Consumer (Nest's KafkaContext code)", () => {
  const assigned = () => [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 2 }, { topic: 'audit', partition: 0 }];

  it('expands { topic } to every assigned partition of the topic, { topic, partitions } to those listed', () => {
    expect(expandTopicPartitions([{ topic: 'orders' }], assigned)).toEqual([{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 2 }]);
    expect(expandTopicPartitions([{ topic: 'orders', partitions: [5] }], assigned)).toEqual([{ topic: 'orders', partition: 5 }]);
    expect(expandTopicPartitions([{ topic: 'missing' }], assigned)).toEqual([]);
  });

  it('passes our { topic, partition } entries through unchanged, partition 0 included', () => {
    const ours = { topic: 'audit', partition: 0, offset: 7 };
    expect(expandTopicPartitions([ours], assigned)).toEqual([ours]);
  });

  it('takes string (kafkajs) and number offsets as the next offset to read', () => {
    expect(toCommitOffsets([{ topic: 't', partition: 1, offset: '42' }, { topic: 't', partition: 2, offset: 7 }]))
      .toEqual([{ topic: 't', partition: 1, offset: 42 }, { topic: 't', partition: 2, offset: 7 }]);
  });

  it.each(['-1', '1.5', 'abc', '', '99999999999999999999'])('refuses offset %p with a KafkaException _INVALID_ARG naming the partition', (offset) => {
    const call = (): unknown => toCommitOffsets([{ topic: 't', partition: 3, offset }]);
    expect(call).toThrow(KafkaException);
    expect(call).toThrow(`offset ${JSON.stringify(offset)} of t[3] is not a whole number >= 0`);
    try { call(); } catch (err) { expect((err as KafkaException).error.code).toBe(ErrorCode._INVALID_ARG); }
  });
});
