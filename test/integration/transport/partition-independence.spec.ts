import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { Producer, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

// Issue 14: with the former default (concurrency 1) one slow topic held up every other topic, a fast event
// waiting 4.5 s behind three 1.5 s events. With the default options each partition is its own lane.

const RUN = randomUUID().slice(0, 8);
const T = { slow: `indep-slow-${RUN}`, fast: `indep-fast-${RUN}` };
const SLOW_MS = 1500;
const slow = { started: [] as number[], finished: [] as number[], running: 0, mostAtOnce: 0, firstStartAt: 0 };
let fastHandledAt = 0;

@Controller()
class MixedController {
  @EventPattern<string>(T.slow)
  async onSlow(@Payload() d: { n: number }): Promise<void> {
    slow.firstStartAt ||= Date.now();
    slow.started.push(d.n);
    slow.mostAtOnce = Math.max(slow.mostAtOnce, ++slow.running);
    await sleep(SLOW_MS);
    slow.running--;
    slow.finished.push(d.n);
  }

  @EventPattern<string>(T.fast)
  onFast(@Payload() _: unknown): void {
    fastHandledAt = Date.now();
  }
}

@Module({ controllers: [MixedController] })
class MixedModule {}

async function produce(producer: Producer, topic: string, values: unknown[]): Promise<void> {
  for (const v of values) await producer.produceAsync(topic, { value: Buffer.from(JSON.stringify(v)) });
}

describe('ServerRdKafka default options: partitions independent (real broker)', () => {
  let app: INestMicroservice;
  const producer = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 0 });

  beforeAll(async () => {
    await createTopics(Object.values(T));
    await producer.connect();
    // Only connection settings: what is measured is the transport's default concurrency and ordering.
    const server = new ServerRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, consumer: { 'group.id': `indep-${RUN}` } });
    app = await listeningMicroservice(MixedModule, server, false);
  });

  afterAll(async () => {
    await app?.close();
    await producer.close();
  });

  it('handles a fast event on another topic while three slow events of one partition run in order', async () => {
    await produce(producer, T.slow, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await waitFor(() => slow.started.length > 0, 30_000, 'the first slow event');
    const producedAt = Date.now();
    await produce(producer, T.fast, [{ fast: true }]);
    await waitFor(() => fastHandledAt > 0, 30_000, 'the fast event');
    // Behind the slow topic it would wait for all three (at least 3 s from here); on its own it takes one fetch.
    console.log(
      `fast event on another topic handled ${fastHandledAt - producedAt} ms after it was produced, behind three ${SLOW_MS} ms events`,
    );
    expect(fastHandledAt - producedAt).toBeLessThan(SLOW_MS);
    expect(fastHandledAt - slow.firstStartAt).toBeLessThan(SLOW_MS);
    await waitFor(() => slow.finished.length === 3, 30_000, 'the three slow events');
    // The slow partition kept its order: one record at a time, in offset order.
    expect(slow.finished).toEqual([1, 2, 3]);
    expect(slow.mostAtOnce).toBe(1);
  });
});
