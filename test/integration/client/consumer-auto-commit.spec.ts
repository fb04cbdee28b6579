import { Producer, TopicPartition } from '../../../lib/index.js';
import { testConsumer } from '../helpers/client-helpers.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

describe('Consumer auto-commit', () => {
  // Regression: auto.commit.interval.ms is also a (legacy) topic-level key; routed to the topic config it was
  // ignored and commits came every 5 s (librdkafka's default) instead.
  it('commits stored offsets every auto.commit.interval.ms while records keep flowing', async () => {
    const topic = uniqueTopic('auto-commit');
    await createTopic(topic, 1);
    const producer = new Producer({ 'bootstrap.servers': bootstrapServers() });
    await producer.connect();
    const c = testConsumer({ 'enable.auto.offset.store': false, 'auto.commit.interval.ms': 200 });
    await c.connect();
    c.subscribe([topic]);
    const seen = new Set<number>();
    const start = Date.now();
    let lastCheck = 0;
    while (Date.now() - start < 3000) {
      for (let i = 0; i < 20; i++) producer.produce(topic, 'x');
      const last = (await c.consumeBatch(100, 20)).filter((m) => !m.error).at(-1);
      if (last) c.storeOffsets({ message: last });
      if (Date.now() - lastCheck > 400) {
        lastCheck = Date.now();
        const [tp] = await c.committed([new TopicPartition(topic, 0)], 5000);
        if (tp!.offset >= 0) seen.add(tp!.offset);
      }
    }
    // Several different commits during three seconds of traffic, not one at the end.
    expect(seen.size).toBeGreaterThanOrEqual(3);
    await Promise.all([c.close(), producer.close()]);
  });
});
