import { Consumer } from '../../../lib/client/consumer.js';
import { FakeKafka } from '../../../lib/testing/index.js';

describe('Consumer.consume with a very large native batch', () => {
  it('returns every message of a batch above the spread-argument limit (~120k), none lost to a RangeError', async () => {
    const n = 200_000;
    const kafka = new FakeKafka().createTopic('big', 1);
    kafka.append(
      'big',
      Array.from({ length: n }, () => ({ value: null })),
    );
    const consumer = new Consumer({ 'group.id': 'g-big', 'auto.offset.reset': 'earliest' }, kafka.binding);
    await consumer.connect();
    consumer.assign([{ topic: 'big', partition: 0 }]);
    try {
      const messages = await consumer.consume(n, 5000);
      expect(messages).toHaveLength(n);
      expect(messages[0]!.offset).toBe(0);
      expect(messages[n - 1]!.offset).toBe(n - 1);
      expect(messages.every((m) => m.error === null)).toBe(true);
    } finally {
      await consumer.close();
    }
  });
});
