import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Consumer, type RdKafkaContext, ServerRdKafka, TopicPartition } from '../../../lib/index.js';
import { produceValues } from '../helpers/client-helpers.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = { forward: `seek-fwd-${RUN}`, backward: `seek-back-${RUN}` };
const GROUP = `seek-${RUN}`;
const handled: Record<string, number[]> = { [T.forward]: [], [T.backward]: [] };
let soughtForward = false;
let soughtBackward = false;

@Controller()
class SeekingController {
  @EventPattern<string>(T.forward)
  async forward(@Payload() _data: unknown, @Ctx() ctx: RdKafkaContext): Promise<void> {
    handled[T.forward]!.push(ctx.getOffset());
    if (ctx.getOffset() === 1 && !soughtForward) {
      soughtForward = true;
      await ctx.seek(3);
    }
  }

  @EventPattern<string>(T.backward)
  async backward(@Payload() _data: unknown, @Ctx() ctx: RdKafkaContext): Promise<void> {
    handled[T.backward]!.push(ctx.getOffset());
    if (ctx.getOffset() === 3 && !soughtBackward) {
      soughtBackward = true;
      await ctx.seek(1);
    }
  }
}

@Module({ controllers: [SeekingController] })
class SeekingModule {}

describe("a handler's seek (real broker): the committed offset follows what is handled", () => {
  let app: INestMicroservice;
  let probe: Consumer;
  const committed = async (topic: string): Promise<number> => (await probe.committed([new TopicPartition(topic, 0)]))[0]!.offset;

  async function committedReaches(topic: string, offset: number): Promise<number> {
    const t0 = Date.now();
    let now = await committed(topic);
    for (let i = 0; i < 60 && now !== offset; i++) {
      await new Promise((r) => setTimeout(r, 250));
      now = await committed(topic);
    }
    expect(now).toBe(offset);
    return Date.now() - t0;
  }

  beforeAll(async () => {
    await createTopics(Object.values(T));
    await produceValues(T.forward, 7);
    await produceValues(T.backward, 5);
    app = await listeningMicroservice(
      SeekingModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': GROUP, 'auto.commit.interval.ms': 100 },
      }),
      false,
    );
    // The server's group: its group.id with the transport's "-server" postfix.
    probe = new Consumer({ 'bootstrap.servers': bootstrapServers(), 'group.id': `${GROUP}-server` });
    await probe.connect();
  });

  afterAll(async () => {
    await probe?.close();
    await app?.close();
  });

  it('a forward seek 1 -> 3 handles [0, 1, 3..6] and commits 7 (it used to stay at 1)', async () => {
    await waitFor(() => handled[T.forward]!.length >= 6, 30_000, 'six records of the forward topic');
    const ms = await committedReaches(T.forward, 7);
    expect(handled[T.forward]).toEqual([0, 1, 3, 4, 5, 6]);
    console.log(`forward seek: committed offset 7 reached ${ms} ms after the last record was handled`);
  });

  it('a backward seek 3 -> 1 handles 1..3 again and commits 5', async () => {
    await waitFor(() => handled[T.backward]!.length >= 8, 30_000, 'eight handlings of the backward topic');
    const ms = await committedReaches(T.backward, 5);
    expect(handled[T.backward]).toEqual([0, 1, 2, 3, 1, 2, 3, 4]);
    console.log(`backward seek: committed offset 5 reached ${ms} ms after the last record was handled`);
  });
});
