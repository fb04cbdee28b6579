import { randomUUID } from 'node:crypto';
import { Consumer, Producer, type ConsumerConfig, type Message } from '../../../lib/index.js';
import { bootstrapServers } from './kafka-env.js';

/** Produces `count` messages `v0..v{count-1}` (keys `k<i % keys>`) and waits for all reports. */
export async function produceValues(topic: string, count: number, opts: { keys?: number; partition?: number } = {}): Promise<void> {
  const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 2 });
  await p.connect();
  for (let i = 0; i < count; i++) {
    p.produce(topic, { value: `v${i}`, key: opts.keys ? `k${i % opts.keys}` : null, partition: opts.partition });
  }
  const left = await p.flush(20_000);
  await p.close();
  if (left !== 0) throw new Error(`${left} messages were not delivered`);
}

/** A consumer on the test broker, earliest-reset, in a fresh group unless one is given. */
export function testConsumer(extra: Partial<ConsumerConfig> = {}): Consumer {
  return new Consumer({
    'bootstrap.servers': bootstrapServers(),
    'group.id': `g-${randomUUID()}`,
    'auto.offset.reset': 'earliest',
    'session.timeout.ms': 6000,
    ...extra,
  } as ConsumerConfig);
}

/** Polls until `n` data messages (errors and EOF events aside) arrived or `timeoutMs` passed. */
export async function pollMessages(c: Consumer, n: number, timeoutMs = 30_000): Promise<Message[]> {
  const got: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < n && Date.now() < deadline) {
    const batch = await c.consume(n - got.length, 500);
    got.push(...batch.filter((m) => !m.error));
  }
  return got;
}

/** Waits until `cond()` holds, polling the consumer meanwhile so rebalances are served. */
export async function pollUntil(consumers: Consumer[], cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await Promise.all(consumers.map((c) => c.poll(100)));
  }
}
