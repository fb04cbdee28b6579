import { Producer } from '../../../lib/index.js';
import { consistent, fnv1a, murmur2 } from '../../../lib/client/index.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

describe('partitioner hashes', () => {
  const topic = uniqueTopic('partitioner');
  beforeAll(() => createTopic(topic, 7));

  it.each([
    ['murmur2', murmur2],
    ['consistent', consistent],
    ['fnv1a', fnv1a],
  ])('%s picks the partition librdkafka picks for every key', async (name, hash) => {
    const p = new Producer({ 'bootstrap.servers': bootstrapServers(), partitioner: name });
    await p.connect();
    const keys = Array.from({ length: 200 }, (_, i) =>
      i % 2 ? `key-${i}-${'x'.repeat(i % 9)}` : Buffer.from([i, 255 - i, (i * 7) % 256]),
    );
    const delivered = await Promise.all(keys.map((key) => p.produceAsync(topic, { key, value: 'v' })));
    expect(delivered.map((m) => m.partition)).toEqual(keys.map((k) => hash(k, 7)));
    await p.close();
  });
});
