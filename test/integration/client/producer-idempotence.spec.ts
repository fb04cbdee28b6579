import { Producer, type ProducerConfig } from '../../../lib/index.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { waitFor } from '../helpers/transport-topics.js';

/** librdkafka's stats `eos` section, present only on an idempotent producer. */
interface EosStats {
  idemp_state: string;
  producer_id: number;
}

/** Produces one record, then reads the producer's idempotence state from its stats. */
async function eosOf(config: Omit<ProducerConfig, 'bootstrap.servers'>): Promise<EosStats | undefined> {
  const stats: string[] = [];
  const p = new Producer({
    'bootstrap.servers': bootstrapServers(),
    'statistics.interval.ms': 100,
    stats_cb: (j) => stats.push(j),
    ...config,
  });
  await p.connect();
  try {
    await p.produceAsync(uniqueTopic('idempotence'), { value: 'v' });
    const seen = stats.length;
    await waitFor(() => stats.length > seen, 10_000, 'stats after the delivery');
    return (JSON.parse(stats[stats.length - 1]) as { eos?: EosStats }).eos;
  } finally {
    await p.close();
  }
}

describe('Producer idempotence default (real broker)', () => {
  it('is idempotent by default: the broker assigned it a producer id', async () => {
    const eos = await eosOf({});
    expect(eos).toEqual(expect.objectContaining({ idemp_state: 'Assigned' }));
    expect(eos!.producer_id).toBeGreaterThanOrEqual(0);
  });

  it('runs without idempotence, and still delivers, when the user turns it off or sets acks=1', async () => {
    expect(await eosOf({ 'enable.idempotence': false })).toBeUndefined();
    expect(await eosOf({ acks: 1 })).toBeUndefined();
  });
});
