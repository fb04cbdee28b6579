import { expandTopicPartitions, fromKafkaJsMessage, toCommitOffsets, toRecordMetadata } from '../../../lib/client/kafkajs-shapes.js';
import { ErrorCode, KafkaException } from '../../../lib/index.js';

describe("kafkajs shapes accepted by Consumer (Nest's KafkaContext code)", () => {
  const assigned = () => [
    { topic: 'orders', partition: 0 },
    { topic: 'orders', partition: 2 },
    { topic: 'audit', partition: 0 },
  ];

  it('expands { topic } to every assigned partition of the topic, { topic, partitions } to those listed', () => {
    expect(expandTopicPartitions([{ topic: 'orders' }], assigned)).toEqual([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 2 },
    ]);
    expect(expandTopicPartitions([{ topic: 'orders', partitions: [5] }], assigned)).toEqual([{ topic: 'orders', partition: 5 }]);
    expect(expandTopicPartitions([{ topic: 'missing' }], assigned)).toEqual([]);
  });

  it('passes our { topic, partition } entries through unchanged, partition 0 included', () => {
    const ours = { topic: 'audit', partition: 0, offset: 7 };
    expect(expandTopicPartitions([ours], assigned)).toEqual([ours]);
  });

  it('takes string (kafkajs) and number offsets as the next offset to read', () => {
    expect(
      toCommitOffsets([
        { topic: 't', partition: 1, offset: '42' },
        { topic: 't', partition: 2, offset: 7 },
      ]),
    ).toEqual([
      { topic: 't', partition: 1, offset: 42 },
      { topic: 't', partition: 2, offset: 7 },
    ]);
  });

  it.each(['-1', '1.5', 'abc', '', '99999999999999999999'])(
    'refuses offset %p with a KafkaException _INVALID_ARG naming the partition',
    (offset) => {
      const call = (): unknown => toCommitOffsets([{ topic: 't', partition: 3, offset }]);
      expect(call).toThrow(KafkaException);
      expect(call).toThrow(`offset ${JSON.stringify(offset)} of t[3] is not a whole number >= 0`);
      try {
        call();
      } catch (err) {
        expect((err as KafkaException).error.code).toBe(ErrorCode._INVALID_ARG);
      }
    },
  );

  it('turns a kafkajs message into a produce record: repeated header values become repeated headers', () => {
    expect(
      fromKafkaJsMessage({
        key: 'k',
        value: 'v',
        partition: 2,
        timestamp: '1700000000000',
        headers: { a: ['1', '2'], b: Buffer.from('x'), c: undefined },
      }),
    ).toEqual({
      key: 'k',
      value: 'v',
      partition: 2,
      timestamp: 1_700_000_000_000,
      headers: [
        ['a', '1'],
        ['a', '2'],
        ['b', Buffer.from('x')],
      ],
    });
    expect(fromKafkaJsMessage({ value: null })).toEqual({
      value: null,
      key: undefined,
      partition: undefined,
      timestamp: undefined,
      headers: [],
    });
  });

  it('reports deliveries as kafkajs RecordMetadata: one per partition, its lowest offset as baseOffset', () => {
    expect(
      toRecordMetadata('t', [
        { partition: 1, offset: 9 },
        { partition: 0, offset: 4 },
        { partition: 1, offset: 8 },
      ]),
    ).toEqual([
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: '4' },
      { topicName: 't', partition: 1, errorCode: 0, baseOffset: '8' },
    ]);
  });
});
