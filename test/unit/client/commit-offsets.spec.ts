import { refuseCommitMetadata } from '../../../lib/client/commit-offsets.js';
import { TopicPartition } from '../../../lib/client/topic-partition.js';
import { ErrorCode, KafkaException } from '../../../lib/errors/index.js';

describe('refuseCommitMetadata', () => {
  it('refuses a non-empty metadata with _NOT_IMPLEMENTED, naming the operation and the partition', () => {
    let err: unknown;
    try {
      refuseCommitMetadata('commit', [new TopicPartition('a', 0, 1), new TopicPartition('b', 3, 7, { metadata: 'x' })]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KafkaException);
    expect((err as KafkaException).name).toBe('KafkaException');
    expect((err as KafkaException).code).toBe(ErrorCode._NOT_IMPLEMENTED);
    expect((err as KafkaException).message).toContain(
      'commit(): commit metadata cannot be stored (b [3]): node-rdkafka 3.6 passes only topic, partition and offset',
    );
  });

  it('accepts no metadata, null and the empty string', () => {
    expect(() => refuseCommitMetadata('storeOffsets', undefined)).not.toThrow();
    expect(() =>
      refuseCommitMetadata('storeOffsets', [
        { topic: 'a', partition: 0, offset: 1, metadata: null },
        new TopicPartition('a', 1, 2, { metadata: '' }),
      ]),
    ).not.toThrow();
  });
});
