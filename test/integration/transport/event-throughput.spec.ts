import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Producer, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

// A first rough figure, printed, not asserted: pre-seeded JSON events through a no-op @EventPattern handler
// (Nest pipeline, parser, ordering, commits), one server, default concurrency.
const COUNT = Number(process.env.THROUGHPUT_EVENTS ?? 30_000);
const RUN = randomUUID().slice(0, 8);
const TOPIC = `tput-${RUN}`;
let handled = 0;

@Controller()
class NoopController {
  @EventPattern<string>(TOPIC)
  noop(@Payload() _d: unknown): void {
    handled++;
  }
}

@Module({ controllers: [NoopController] })
class NoopModule {}

describe('event throughput through a handler (measurement)', () => {
  let app: INestMicroservice;

  afterAll(async () => {
    await app?.close();
  });

  it(`handles ${COUNT} pre-seeded events and reports events/s`, async () => {
    await createTopics([TOPIC], 3);
    const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 20 });
    await p.connect();
    const value = JSON.stringify({ id: 0, name: 'x'.repeat(100), tags: ['a', 'b'] });
    for (let i = 0; i < COUNT; i++) p.produce(TOPIC, { value, key: `k${i % 64}` });
    await p.flush(30_000);
    await p.close();
    app = await listeningMicroservice(
      NoopModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': `tput-${RUN}` },
        ...(process.env.THROUGHPUT_CONCURRENCY ? { concurrency: Number(process.env.THROUGHPUT_CONCURRENCY) } : {}),
      }),
      ['error'],
    );
    await waitFor(() => handled > 0, 30_000, 'the first event');
    const t0 = process.hrtime.bigint();
    const start = handled;
    await waitFor(() => handled >= COUNT, 90_000, `${COUNT} events`);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    process.stdout.write(
      `event throughput: ${COUNT - start} events in ${s.toFixed(2)} s = ${Math.round((COUNT - start) / s)} events/s (concurrency ${process.env.THROUGHPUT_CONCURRENCY ?? 'default'})\n`,
    );
    expect(handled).toBe(COUNT);
  });
});
