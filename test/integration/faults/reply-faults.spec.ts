import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { ClientKafka, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { type ClientRdKafka, ServerRdKafka } from '../../../lib/index.js';
import { withBrokerHung } from '../helpers/broker-process.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { clusterTopics, RawRequester, ReplyTap } from '../helpers/hostile-requests.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { connectedClient, listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = {
  echo: `rf-echo-${RUN}`,
  big: `rf-big-${RUN}`,
  badHeader: `rf-hdr-${RUN}`,
  replies: `rf-replies-${RUN}`,
  gated: `rf-gated-${RUN}`,
};
const REPLY_TIMEOUT_MS = 2000;
const REPLY_PARTITIONS = 2;
let release!: () => void;
const gate = {
  started: false,
  open: new Promise<void>((r) => {
    release = r;
  }),
};
const FIVE_MB = 5 * 1024 * 1024;

@Controller()
class ReplyFaultsController {
  @MessagePattern(T.echo)
  echo(@Payload() d: { n: number }) {
    return { echoed: d.n };
  }

  /** Answers once the test opens the gate (after it hung the broker). */
  @MessagePattern(T.gated)
  async gated(@Payload() _d: unknown) {
    gate.started = true;
    await gate.open;
    return { gated: true };
  }

  @MessagePattern(T.big)
  big() {
    return 'x'.repeat(FIVE_MB);
  }

  /** A reply header node-rdkafka cannot produce (a NUL cuts a C string). */
  @MessagePattern(T.badHeader)
  badHeader() {
    return { value: 'v', headers: { 'x-bad': 'a\u0000b' } };
  }
}

@Module({ controllers: [ReplyFaultsController] })
class ReplyFaultsModule {}

/** What a hostile request must lead to: a logged refusal and no reply, or an error reply to the caller. */
type Expect = 'refused' | 'error-reply';
interface Case {
  name: string;
  topic: string;
  replyTopic: string | Buffer;
  replyPartition?: string;
  expect: Expect;
}

const cases: Case[] = [
  { name: 'NUL in the reply topic', topic: T.echo, replyTopic: Buffer.from(`${T.replies}\u0000.elsewhere`), expect: 'refused' },
  { name: 'space and ! in the name', topic: T.echo, replyTopic: `bad topic!-${RUN}`, expect: 'refused' },
  { name: 'slash in the name', topic: T.echo, replyTopic: `a/b-${RUN}`, expect: 'refused' },
  {
    name: 'non-UTF-8 bytes',
    topic: T.echo,
    replyTopic: Buffer.concat([Buffer.from(`rf-${RUN}-`), Buffer.from([0xc3, 0x28])]),
    expect: 'refused',
  },
  { name: '"."', topic: T.echo, replyTopic: '.', expect: 'refused' },
  { name: '".."', topic: T.echo, replyTopic: '..', expect: 'refused' },
  { name: '250-character name', topic: T.echo, replyTopic: `rf-${RUN}-`.padEnd(250, 'y'), expect: 'refused' },
  { name: 'unknown topic (broker auto-create on)', topic: T.echo, replyTopic: `rf-missing-${RUN}`, expect: 'refused' },
  { name: 'partition -1', topic: T.echo, replyTopic: T.replies, replyPartition: '-1', expect: 'error-reply' },
  { name: 'partition abc', topic: T.echo, replyTopic: T.replies, replyPartition: 'abc', expect: 'error-reply' },
  { name: 'partition 999 (topic has 2)', topic: T.echo, replyTopic: T.replies, replyPartition: '999', expect: 'error-reply' },
  { name: '5 MB reply (MSG_SIZE_TOO_LARGE)', topic: T.big, replyTopic: T.replies, replyPartition: '1', expect: 'error-reply' },
  {
    name: 'reply header value node-rdkafka refuses',
    topic: T.badHeader,
    replyTopic: T.replies,
    replyPartition: '0',
    expect: 'error-reply',
  },
];

describe('reply faults: hostile reply addresses and replies that cannot go (real broker)', () => {
  const logger = new CaptureLogger();
  const requester = new RawRequester();
  const tap = new ReplyTap();
  let app: INestMicroservice;
  let client: ClientRdKafka;

  beforeAll(async () => {
    await createTopics([T.echo, T.big, T.badHeader, T.gated]);
    await createTopics([T.replies], REPLY_PARTITIONS);
    app = await listeningMicroservice(
      ReplyFaultsModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': `reply-faults-${RUN}` },
        logger,
        replyTimeoutMs: REPLY_TIMEOUT_MS,
      }),
      false,
    );
    await Promise.all([requester.connect(), tap.start(T.replies, REPLY_PARTITIONS)]);
    client = await connectedClient();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await requester.disconnect();
    await tap.stop();
  });

  /** Error lines naming a correlation id. */
  const logged = (id: string) => logger.of('error').filter((l) => l.message.includes(id));

  it('refuses or answers every hostile reply address with an error reply, creates no topic, and keeps serving', async () => {
    // Warm up: the group has joined and the reply path works before the corpus is timed.
    await expect(firstValueFrom(client.send(T.echo, { n: 0 }))).resolves.toEqual({ echoed: 0 });
    const topicsBefore = await clusterTopics();
    const figures: string[] = [];
    const refused: string[] = [];
    for (const c of cases) {
      const id = `rf-${randomUUID()}`;
      const t0 = Date.now();
      const headers: Record<string, string | Buffer> = { kafka_correlationId: id, kafka_replyTopic: c.replyTopic };
      if (c.replyPartition !== undefined) headers.kafka_replyPartition = c.replyPartition;
      await requester.send(c.topic, { n: 1 }, headers);
      await waitFor(() => logged(id).length > 0 && (c.expect === 'refused' || tap.byId.has(id)), 20_000, `${c.name}: ${c.expect}`);
      const ms = Date.now() - t0;
      const line = logged(id)[0]!.message;
      if (c.expect === 'error-reply') {
        const [reply] = tap.byId.get(id)!;
        expect(reply!.headers['kafka_nest-err']).toBeDefined();
        expect(reply!.headers['kafka_nest-is-disposed']).toBeDefined();
        expect(line).toContain('the caller got an error reply');
      } else {
        expect(line).toMatch(/the handler did not run/);
        refused.push(id);
      }
      // Every line names the request's place and the reply topic as it came.
      expect(line).toMatch(new RegExp(`request ${c.topic}\\[0\\]@\\d+`));
      figures.push(`${c.name.padEnd(42)} ${c.expect.padEnd(12)} ${String(ms).padStart(5)} ms`);
    }
    // Give a stray reply (a NUL-cut name would land on the reply topic) time to show: a refused one has none.
    await new Promise((r) => setTimeout(r, 1000));
    expect(refused.filter((id) => tap.byId.has(id))).toEqual([]);

    const created = [...(await clusterTopics())].filter((t) => !topicsBefore.has(t) && t.includes(RUN));
    expect(created).toEqual([]);

    const t0 = Date.now();
    await expect(firstValueFrom(client.send(T.echo, { n: 7 }))).resolves.toEqual({ echoed: 7 });
    figures.push(`${'good request after the corpus'.padEnd(42)} ${'reply'.padEnd(12)} ${String(Date.now() - t0).padStart(5)} ms`);
    console.log(`reply faults (${cases.length} hostile requests, topics created: ${created.length}):\n${figures.join('\n')}`);
  });

  it('sends a ClientRdKafka caller an error reply when its reply is too large, instead of leaving it to time out', async () => {
    const t0 = Date.now();
    const err = await firstValueFrom(client.send(T.big, {})).catch((e: unknown) => e);
    const ms = Date.now() - t0;
    expect(err).toMatchObject({ status: 'error' });
    expect((err as { message: string }).message).toMatch(/not sent: .*(MSG_SIZE_TOO_LARGE|too large)/i);
    console.log(`5 MB reply: caller got an error reply in ${ms} ms (its requestTimeoutMs is 15000)`);
    expect(ms).toBeLessThan(10_000);
  });

  it("sends Nest's own ClientKafka an error reply it understands when the reply is too large", async () => {
    const nest = new ClientKafka({
      client: { brokers: bootstrapServers().split(','), clientId: `rf-nest-${RUN}`, logLevel: 1 },
      consumer: { groupId: `rf-nest-${RUN}` },
    });
    nest.subscribeToResponseOf(T.big);
    try {
      await nest.connect();
      const t0 = Date.now();
      const err = await firstValueFrom(nest.send(T.big, {})).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 'error', message: expect.stringMatching(/not sent: .*MSG_SIZE_TOO_LARGE/) });
      console.log(`5 MB reply: Nest's ClientKafka got the error reply in ${Date.now() - t0} ms`);
    } finally {
      await nest.close();
    }
  });

  it('gives up on a reply after replyTimeoutMs while the broker hangs, logs it, and serves the next request', async () => {
    const id = `rf-${randomUUID()}`;
    await requester.send(T.gated, {}, { kafka_correlationId: id, kafka_replyTopic: T.replies, kafka_replyPartition: '0' });
    await waitFor(() => gate.started, 20_000, 'the gated handler to start');
    const ms = await withBrokerHung(async () => {
      const t0 = Date.now();
      release();
      await waitFor(() => logged(id).length > 0, 20_000, 'the reply timeout to be logged');
      return Date.now() - t0;
    });
    expect(logged(id)[0]!.message).toMatch(
      new RegExp(`${id} to "${T.replies}"\\["0"\\] not sent: .*replyTimeoutMs \\(${REPLY_TIMEOUT_MS} ms\\).*times out`),
    );
    expect(ms).toBeGreaterThanOrEqual(REPLY_TIMEOUT_MS);
    expect(ms).toBeLessThan(REPLY_TIMEOUT_MS + 1000);
    const t1 = Date.now();
    await expect(firstValueFrom(client.send(T.echo, { n: 3 }))).resolves.toEqual({ echoed: 3 });
    const nextMs = Date.now() - t1;
    // librdkafka still holds the record (until its message.timeout.ms): once the broker answers it may arrive late.
    await new Promise((r) => setTimeout(r, 1000));
    console.log(
      `reply during a broker hang: given up and logged after ${ms} ms (replyTimeoutMs ${REPLY_TIMEOUT_MS}); ` +
        `next request answered ${nextMs} ms after the broker resumed; the late reply arrived anyway: ${tap.byId.has(id)}`,
    );
  });
});
