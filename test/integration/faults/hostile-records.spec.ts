import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { ClientRdKafka, Consumer, type Message, type RdKafkaContext, ServerRdKafka } from '../../../lib/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics } from '../helpers/topics.js';
import { waitFor } from '../helpers/transport-topics.js';
import { type HostileRecord, hostileCorpus, MANY_HEADERS, MAX_VALUE_BYTES, mismatch, SAME_NAME_HEADERS } from './hostile-records.corpus.js';
import { type WireRecord, WireProducer } from './hostile-records.wire.js';

const RUN = randomUUID().slice(0, 8);
const T = { events: `hostile-${RUN}`, rpc: `hostile-rpc-${RUN}`, reply: `hostile-rpc-${RUN}.reply` };
/** Room for the 2.5 MB record (refused by the server's maxValueBytes, not by the broker). */
const TOPIC_CONFIG = { 'max.message.bytes': '5000000' };

/** What the handler saw, by offset. */
const seen = new Map<number, { raw: Message; headers: Record<string, unknown> }>();

@Controller()
class HostileController {
  @EventPattern<string>(T.events)
  handle(@Payload() data: unknown, @Ctx() ctx: RdKafkaContext): void {
    seen.set(ctx.getOffset(), { raw: ctx.getRawMessage(), headers: ctx.getHeaders() });
    // What a handler that forwards or logs its payload does; a value nested 100,000 deep makes it throw.
    JSON.stringify(data);
  }

  @MessagePattern<string>(T.rpc)
  echo(@Payload() data: unknown): unknown {
    return data;
  }
}

@Module({ controllers: [HostileController] })
class HostileModule {}

const good = (n: number): WireRecord => ({
  key: null,
  value: Buffer.from(JSON.stringify({ good: n })),
  headers: [],
  timestamp: Date.now(),
});

describe('hostile records (real broker)', () => {
  const logger = new CaptureLogger();
  const corpus = hostileCorpus();
  /** Offsets of the corpus on T.events, in corpus order, and of the good record after it. */
  const offsets: number[] = [];
  let goodOffset = -1;
  let app: INestMicroservice;
  let wire: WireProducer;

  /** An error line naming the record's place (`topic[0]@offset`, as every transport log line does). */
  const loggedAt = (offset: number): boolean =>
    logger.of('error').some((l) => l.message.includes(`${T.events}[0]@${offset} `) || l.message.includes(`${T.events}[0]@${offset}:`));

  beforeAll(async () => {
    await createTopics(Object.values(T), 1, { config: TOPIC_CONFIG, ignoreExisting: true });
    const server = new ServerRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      postfixId: '',
      logger,
      maxValueBytes: MAX_VALUE_BYTES,
      errorPolicy: { mode: 'retry', retries: 1, initialBackoffMs: 10, then: 'skip' },
      consumer: { 'group.id': `hostile-${RUN}` },
    });
    app = await listeningMicroservice(HostileModule, server, false);
    wire = await WireProducer.connect(bootstrapServers());
  });

  afterAll(async () => {
    wire?.close();
    await app?.close();
  });

  it(`handles or refuses by place each of ${hostileCorpus().length} hostile records, then a good one`, async () => {
    const t0 = performance.now();
    let blockMs = -1;
    let cpuMs = -1;
    for (const h of corpus) {
      if (h.name !== MANY_HEADERS) {
        offsets.push(await wire.produce(T.events, 0, h.record));
        continue;
      }
      // Encoded before, and sent once the server is idle: the window holds this record's consumption only.
      const request = wire.encode(T.events, 0, h.record);
      await waitFor(() => offsets.every((o) => seen.has(o) || loggedAt(o)), 60_000, 'the records before the many-headers one');
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const cpu = process.cpuUsage();
      const offset = await wire.send(request);
      offsets.push(offset);
      await waitFor(() => seen.has(offset) || loggedAt(offset), 60_000, 'the many-headers record');
      delay.disable();
      blockMs = delay.max / 1e6;
      const used = process.cpuUsage(cpu);
      cpuMs = (used.user + used.system) / 1000;
    }
    goodOffset = await wire.produce(T.events, 0, good(1));
    await waitFor(() => seen.has(goodOffset), 60_000, 'the good record after the corpus');
    const elapsedMs = Math.round(performance.now() - t0);

    const outcomes = corpus.map((h, i) => outcomeOf(h, offsets[i]!));
    const delivered = outcomes.filter((o) => o.outcome === 'delivered').length;
    const logged = outcomes.filter((o) => o.outcome === 'logged').length;
    console.log(
      `hostile records → ServerRdKafka: sent ${corpus.length}, delivered exactly ${delivered}, refused through the policy/limits ${logged}; ` +
        `while the ${SAME_NAME_HEADERS}-headers record was consumed: event-loop max block ${blockMs.toFixed(1)} ms, process CPU ${cpuMs.toFixed(0)} ms ` +
        `(all threads); elapsed ${elapsedMs} ms`,
    );
    expect(outcomes.filter((o) => o.outcome !== o.expected)).toEqual([]);
    expect(blockMs).toBeGreaterThanOrEqual(0);
    expect(blockMs).toBeLessThan(1000);
  });

  /** What became of one record: delivered byte for byte, or refused with an error naming its place. */
  function outcomeOf(h: HostileRecord, offset: number): { name: string; offset: number; expected: string; outcome: string } {
    const s = seen.get(offset);
    const wrong = s ? mismatch(h.record, s.raw) : 'not delivered';
    const errorLogged = loggedAt(offset);
    const outcome =
      h.expect === 'logged'
        ? errorLogged
          ? 'logged'
          : `no error logged (${wrong ?? 'delivered'})`
        : wrong === null && !errorLogged
          ? 'delivered'
          : `${wrong ?? 'delivered'}${errorLogged ? ', error logged' : ''}`;
    return { name: h.name, offset, expected: h.expect, outcome };
  }

  it('gives handlers hostile header names as ordinary own properties, and pollutes no prototype', () => {
    const protoHeaders = seen.get(offsets[corpus.findIndex((h) => h.name === 'header __proto__')]!)!.headers;
    expect(Object.getPrototypeOf(protoHeaders)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(protoHeaders, '__proto__')?.value).toBe('p');
    expect(protoHeaders.after).toBe('a');
    const twice = seen.get(offsets[corpus.findIndex((h) => h.name === 'header toString (twice)')]!)!.headers;
    expect(Object.getOwnPropertyDescriptor(twice, 'toString')?.value).toEqual(['1', '2']);
    const many = seen.get(offsets[corpus.findIndex((h) => h.name === MANY_HEADERS)]!)!.headers;
    expect(many.x).toHaveLength(SAME_NAME_HEADERS);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('returns every hostile record from Consumer.poll/consume as a Message, bytes exact, never throwing', async () => {
    const consumer = new Consumer({
      'bootstrap.servers': bootstrapServers(),
      'group.id': `hostile-raw-${RUN}`,
      'auto.offset.reset': 'earliest',
      'enable.auto.commit': false,
    });
    await consumer.connect();
    const t0 = performance.now();
    const got = new Map<number, Message>();
    try {
      consumer.subscribe([T.events]);
      const deadline = Date.now() + 60_000;
      const first = await consumer.poll(10_000);
      if (first) got.set(first.offset, first);
      while (!got.has(goodOffset) && Date.now() < deadline) {
        for (const m of await consumer.consume(100, 1000)) if (!m.error || m.offset >= 0) got.set(m.offset, m);
      }
    } finally {
      await consumer.close();
    }
    const wrong = corpus
      .map((h, i) => ({ name: h.name, problem: got.has(offsets[i]!) ? mismatch(h.record, got.get(offsets[i]!)!) : 'not consumed' }))
      .filter((r) => r.problem !== null);
    console.log(
      `hostile records → Consumer.consume: ${corpus.length - wrong.length} of ${corpus.length} exact; elapsed ${Math.round(performance.now() - t0)} ms`,
    );
    expect(wrong).toEqual([]);
  });

  it('keeps a ClientRdKafka answering when hostile records land on its reply partition', async () => {
    const clientLogger = new CaptureLogger();
    const client = new ClientRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      replyPartition: 0,
      requestTimeoutMs: 30_000,
      logger: clientLogger,
    });
    await client.connect();
    try {
      expect(await firstValueFrom(client.send(T.rpc, { n: 1 }))).toEqual({ n: 1 });
      const t0 = performance.now();
      for (const h of corpus) await wire.produce(T.reply, 0, h.record);
      expect(await firstValueFrom(client.send(T.rpc, { n: 2 }))).toEqual({ n: 2 });
      console.log(
        `hostile records → ClientRdKafka reply partition: ${corpus.length} sent, next reply after ${Math.round(performance.now() - t0)} ms`,
      );
      expect(clientLogger.of('error')).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
