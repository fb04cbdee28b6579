import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Consumer, type Message, Producer, type RdKafkaContext, ServerRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopic } from '../helpers/topics.js';
import { waitFor } from '../helpers/transport-topics.js';

// Handler code from Nest's Kafka docs (written for KafkaContext over kafkajs), with only the context's type
// changed: it compiles against RdKafkaContext and does what it did there.

const RUN = randomUUID().slice(0, 8);
const T = { commit: `ctx-commit-${RUN}`, pause: `ctx-pause-${RUN}`, forward: `ctx-forward-${RUN}`, out: `ctx-out-${RUN}` };
const sent: unknown[] = [];
const committedFrom: number[] = [];
const pausedAt: number[] = [];
const handled: { n: number; partition: number; at: number }[] = [];

@Controller()
class DocsHandlers {
  @EventPattern<string>(T.commit)
  async onCommit(@Payload() _: unknown, @Ctx() context: RdKafkaContext): Promise<void> {
    const heartbeat = context.getHeartbeat();
    await heartbeat();
    const { offset } = context.getMessage();
    const partition = context.getPartition();
    const topic = context.getTopic();
    const consumer = context.getConsumer();
    // kafkajs' meaning: the offset committed is the next one to read.
    await consumer.commitOffsets([{ topic, partition, offset: (Number(offset) + 1).toString() }]);
    committedFrom.push(offset);
  }

  @EventPattern<string>(T.forward)
  async onForward(@Payload() data: { id: number }, @Ctx() context: RdKafkaContext): Promise<void> {
    const producer = context.getProducer();
    sent.push(
      await producer.send({
        topic: T.out,
        messages: [{ key: `k${data.id}`, value: JSON.stringify({ forwarded: data.id }), headers: { trace: ['a', 'b'] } }],
      }),
    );
  }

  @EventPattern<string>(T.pause)
  onPause(@Payload() data: { n: number }, @Ctx() context: RdKafkaContext): void {
    handled.push({ n: data.n, partition: context.getPartition(), at: Date.now() });
    if (data.n !== 1) return;
    const topic = context.getTopic();
    const consumer = context.getConsumer();
    consumer.pause([{ topic }]);
    pausedAt.push(Date.now());
    setTimeout(() => consumer.resume([{ topic }]), 1500);
  }
}

@Module({ controllers: [DocsHandlers] })
class AppModule {}

/** The first record of a topic, read by a consumer of its own. */
async function readOne(topic: string): Promise<Message> {
  const consumer = new Consumer({
    'bootstrap.servers': bootstrapServers(),
    'group.id': `ctx-read-${RUN}`,
    'auto.offset.reset': 'earliest',
  });
  await consumer.connect();
  try {
    consumer.subscribe([topic]);
    for (let i = 0; i < 30; i++) {
      const [m] = await consumer.consume(1, 1000);
      if (m && !m.error) return m;
    }
    throw new Error(`nothing read from ${topic} within 30 s`);
  } finally {
    await consumer.close();
  }
}

describe("Nest's KafkaContext calls on RdKafkaContext (real broker)", () => {
  let app: INestMicroservice;
  let server: ServerRdKafka;
  let producer: Producer;

  beforeAll(async () => {
    await Promise.all([createTopic(T.commit), createTopic(T.pause, 2), createTopic(T.forward), createTopic(T.out)]);
    server = new ServerRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      consumer: { 'group.id': `ctx-${RUN}` },
      manualCommit: true,
    });
    app = await listeningMicroservice(AppModule, server, ['error', 'warn']);
    producer = new Producer({ 'bootstrap.servers': bootstrapServers() });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.close(5000);
    await app?.close();
  });

  async function send(topic: string, value: unknown, partition: number): Promise<void> {
    await producer.produceAsync(topic, { value: JSON.stringify(value), partition });
  }

  it('getHeartbeat() and getConsumer().commitOffsets([{ topic, partition, offset }]) commit what was given', async () => {
    await send(T.commit, { id: 1 }, 0);
    await send(T.commit, { id: 2 }, 0);
    await waitFor(() => committedFrom.length === 2, 30_000, 'both records handled');
    const [consumer] = server.unwrap<[{ committed(tps: { topic: string; partition: number }[]): Promise<{ offset: number }[]> }]>();
    // manualCommit: the server commits nothing itself, so offset 2 is the handler's commitOffsets.
    expect(committedFrom).toEqual([0, 1]);
    expect((await consumer.committed([{ topic: T.commit, partition: 0 }]))[0]!.offset).toBe(2);
  });

  it('getConsumer().pause([{ topic }]) stops every partition of the topic until resume([{ topic }])', async () => {
    await send(T.pause, { n: 1 }, 0);
    await waitFor(() => pausedAt.length === 1, 30_000, 'the pausing record');
    await Promise.all([send(T.pause, { n: 2 }, 0), send(T.pause, { n: 3 }, 1)]);
    await waitFor(() => handled.length === 3, 30_000, 'the records after resume');
    const later = handled.filter((h) => h.n !== 1);
    expect(later.map((h) => h.partition).sort()).toEqual([0, 1]);
    // Neither partition delivered before the resume timer (1500 ms after the pause); a little slack for timers.
    for (const h of later) expect(h.at - pausedAt[0]!).toBeGreaterThanOrEqual(1450);
  });

  it('getProducer().send({ topic, messages }) produces as kafkajs does and resolves with its RecordMetadata', async () => {
    await send(T.forward, { id: 7 }, 0);
    await waitFor(() => sent.length === 1, 30_000, 'the forwarding handler');
    expect(sent[0]).toEqual([{ topicName: T.out, partition: 0, errorCode: 0, baseOffset: '0' }]);
    const record = await readOne(T.out);
    expect(record.key?.toString()).toBe('k7');
    expect(JSON.parse(record.value!.toString())).toEqual({ forwarded: 7 });
    expect(record.headers?.map(([k, v]) => [k, String(v)])).toEqual([
      ['trace', 'a'],
      ['trace', 'b'],
    ]);
  });
});
