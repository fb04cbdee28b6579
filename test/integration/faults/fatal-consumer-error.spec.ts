import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Consumer, RdKafkaStatus, ServerRdKafka } from '../../../lib/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { produceValues } from '../helpers/client-helpers.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const TOPIC = `fatal-${RUN}`;
const GROUP = `fatal-${RUN}`;
const INSTANCE = `instance-${RUN}`;
let handled = 0;

@Controller()
class CountingController {
  @EventPattern<string>(TOPIC)
  count(@Payload() _data: unknown): void {
    handled++;
  }
}

@Module({ controllers: [CountingController] })
class CountingModule {}

describe('a fatal consumer error (real broker: a static member fenced by a newer one with its group.instance.id)', () => {
  const logger = new CaptureLogger();
  const statuses: RdKafkaStatus[] = [];
  let app: INestMicroservice;
  let intruder: Consumer | undefined;

  afterAll(async () => {
    await intruder?.close().catch(() => undefined);
    await app?.close();
  });

  it('sets status CRASHED and logs the fatal error with its code, instead of one warning', async () => {
    await createTopics([TOPIC]);
    const server = new ServerRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      logger,
      consumer: { 'group.id': GROUP, 'group.instance.id': INSTANCE, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 500 },
    });
    server.status.subscribe((s) => statuses.push(s as RdKafkaStatus));
    app = await listeningMicroservice(CountingModule, server, false);
    await produceValues(TOPIC, 1);
    await waitFor(() => handled === 1, 30_000, 'the first record');
    // The same static member id joins the server's group: the broker fences the server's consumer.
    intruder = new Consumer({
      'bootstrap.servers': bootstrapServers(),
      'group.id': `${GROUP}-server`,
      'group.instance.id': INSTANCE,
      'session.timeout.ms': 6000,
    });
    await intruder.connect();
    intruder.subscribe([TOPIC]);
    const t0 = Date.now();
    const polling = (async () => {
      while (!statuses.includes(RdKafkaStatus.CRASHED) && Date.now() - t0 < 30_000) await intruder!.consumeBatch(10, 200);
    })();
    await waitFor(() => statuses.includes(RdKafkaStatus.CRASHED), 30_000, 'status CRASHED');
    const ms = Date.now() - t0;
    await polling;
    const line = logger.of('error', 'ServerRdKafka').find((l) => l.message.startsWith('Fatal consumer error'));
    expect(line?.message).toMatch(/^Fatal consumer error, the server stops consuming: .*FATAL/);
    expect(logger.of('warn', 'ServerRdKafka').filter((l) => /FATAL/.test(l.message))).toEqual([]);
    console.log(`fenced static member: status CRASHED ${ms} ms after the intruder joined`);
  });
});
