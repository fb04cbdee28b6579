import { setTimeout as sleep } from 'node:timers/promises';
import type { TopicPartition } from '../../../lib/index.js';
import { pollMessages, pollUntil, produceValues, testConsumer } from '../helpers/client-helpers.js';
import { uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

describe('Consumer lost partitions', () => {
  it('reports partitions taken away by max.poll.interval.ms through onLost, not onRevoke, and rejoins', async () => {
    const topic = uniqueTopic('lost');
    await createTopic(topic, 2);
    await produceValues(topic, 4, { keys: 2 });
    const lost: TopicPartition[] = [];
    const revoked: TopicPartition[] = [];
    let assigned = 0;
    // The broker's group.min.session.timeout.ms is 6000 and librdkafka wants max.poll.interval.ms >= session.timeout.ms.
    const c = testConsumer({ 'session.timeout.ms': 6000, 'max.poll.interval.ms': 6000 });
    await c.connect();
    c.subscribe([topic], {
      onAssign: () => {
        assigned++;
      },
      onRevoke: (_c, partitions) => {
        revoked.push(...partitions);
      },
      onLost: (_c, partitions) => {
        lost.push(...partitions);
      },
    });
    expect(await pollMessages(c, 4)).toHaveLength(4);
    // The application stops polling for longer than max.poll.interval.ms: librdkafka leaves the group.
    const stalledAt = Date.now();
    await sleep(7500);
    await pollUntil([c], () => lost.length > 0 || revoked.length > 0, 15_000);
    console.log(`lost reported ${Date.now() - stalledAt} ms after the last poll: ${lost.map(String).join(', ')}`);
    expect(lost.map((tp) => tp.partition).sort()).toEqual([0, 1]);
    expect(revoked).toEqual([]);
    // The consumer rejoins on its next polls and gets its partitions back.
    await pollUntil([c], () => assigned >= 2, 20_000);
    await c.close();
    // close() revokes in order: that one is not lost.
    expect(revoked.map((tp) => tp.partition).sort()).toEqual([0, 1]);
  });
});
