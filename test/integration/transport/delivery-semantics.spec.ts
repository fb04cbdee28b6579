import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Logger, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { defer, mergeMap, type Observable, tap, throwError, timer } from 'rxjs';
import { Consumer, Producer, type RdKafkaContext, ServerRdKafka, TopicPartition } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = { commit: `commit-${RUN}`, bad: `bad-${RUN}`, stop: `stop-${RUN}`, stream: `stream-${RUN}` };
const seen: Record<string, unknown[]> = { commit: [], bad: [], stop: [], stream: [] };
let failStopOnce = true;
let failStreamOnce = true;

@Controller()
class SemanticsController {
  @EventPattern<string>(T.commit)
  commit(@Payload() d: unknown): void {
    seen.commit.push(d);
  }

  @EventPattern<string>(T.bad)
  bad(@Payload() d: unknown, @Ctx() ctx: RdKafkaContext): void {
    seen.bad.push({ d, offset: ctx.getOffset() });
  }

  @EventPattern<string>(T.stop)
  stop(@Payload() d: { n: number }): void {
    if (d.n === 2 && failStopOnce) throw new Error('poison');
    seen.stop.push(d.n);
  }

  /** An Observable handler: the record is finished when the stream completes, and a stream error is a failure. */
  @EventPattern<string>(T.stream)
  stream(@Payload() d: { n: number }): Observable<unknown> {
    return defer(() =>
      d.n === 2 && failStreamOnce
        ? timer(20).pipe(mergeMap(() => throwError(() => new Error('stream poison'))))
        : timer(20).pipe(tap({ complete: () => seen.stream.push(d.n) })),
    );
  }
}

@Module({ controllers: [SemanticsController] })
class SemanticsModule {}

class CapturingLogger extends Logger {
  readonly lines: string[] = [];
  override error(message: unknown): void {
    this.lines.push(`E ${String(message)}`);
  }
  override warn(message: unknown): void {
    this.lines.push(`W ${String(message)}`);
  }
  override log(): void {}
  override debug(): void {}
}

async function produce(topic: string, values: (Buffer | string | null)[]): Promise<void> {
  const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'message.max.bytes': 2_000_000 });
  await p.connect();
  for (const value of values) await p.produceAsync(topic, { value });
  await p.close();
}

describe('ServerRdKafka delivery semantics (real broker)', () => {
  const logger = new CapturingLogger();
  let app: INestMicroservice;
  let server: ServerRdKafka;
  const group = `semantics-${RUN}`;

  beforeAll(async () => {
    await createTopics(Object.values(T));
    server = new ServerRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      postfixId: '',
      logger,
      maxValueBytes: 100_000,
      errorPolicy: { mode: 'stop' },
      consumer: { 'group.id': group, 'auto.commit.interval.ms': 1000 },
    });
    app = await listeningMicroservice(SemanticsModule, server, false);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('logs bad payloads (invalid JSON, empty value, too large) with their place and goes on', async () => {
    await produce(T.bad, ['{"ok":1}', '{not json', '', Buffer.alloc(150_000, 0x61), '[2]']);
    await waitFor(() => seen.bad.length >= 4, 30_000, 'the good records after the bad ones');
    expect(seen.bad).toEqual([
      { d: { ok: 1 }, offset: 0 },
      { d: '{not json', offset: 1 },
      { d: expect.objectContaining({ value: null, offset: 2, topic: T.bad }), offset: 2 },
      { d: [2], offset: 4 },
    ]);
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^W Invalid JSON .* at ${T.bad}\\[0\\]@1$`)),
        `W Empty or null value, the handler gets the whole message at ${T.bad}[0]@2`,
        `E Skipped ${T.bad}[0]@3: value of 150000 bytes exceeds maxValueBytes (100000)`,
      ]),
    );
  });

  /** Produces n = 1, 2, 3 to `topic` and waits until the stop policy halted its partition 0 at offset 1. */
  async function produceUntilStopped(topic: string): Promise<void> {
    await produce(
      topic,
      [1, 2, 3].map((n) => JSON.stringify({ n })),
    );
    await waitFor(() => logger.lines.some((l) => l.includes(`Partition ${topic}[0] stopped at offset 1`)), 30_000, 'the partition to stop');
  }

  /** Resumes partition 0 of `topic` and expects every record, the failed one included, handled in order. */
  async function resumeAndExpectAll(topic: string, handled: unknown[]): Promise<void> {
    server.resume(topic, 0);
    await waitFor(() => handled.length >= 3, 30_000, 'records after resume');
    expect(handled).toEqual([1, 2, 3]);
  }

  it('stops a partition at a failing record (stop policy) and restarts there on resume', async () => {
    await produceUntilStopped(T.stop);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.stop).toEqual([1]);
    failStopOnce = false;
    await resumeAndExpectAll(T.stop, seen.stop);
  });

  it('waits for the Observable an event handler returns and treats its error as a failure (stop policy)', async () => {
    await produceUntilStopped(T.stream);
    expect(logger.lines).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^E Handler failed on ${T.stream}\\[0\\]@1 `))]));
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.stream).toEqual([1]);
    failStreamOnce = false;
    await resumeAndExpectAll(T.stream, seen.stream);
  });

  it('commits handled records while running (auto-commit of stored offsets) and exactly them on close()', async () => {
    await produce(
      T.commit,
      Array.from({ length: 20 }, (_, i) => JSON.stringify({ i })),
    );
    await waitFor(() => seen.commit.length >= 20, 30_000, '20 events');
    const probe = new Consumer({ 'bootstrap.servers': bootstrapServers(), 'group.id': group });
    await probe.connect();
    try {
      const committed = async () => (await probe.committed([new TopicPartition(T.commit, 0)]))[0]!.offset;
      let running = -1;
      for (let i = 0; i < 40 && running !== 20; i++) {
        running = await committed();
        if (running !== 20) await new Promise((r) => setTimeout(r, 250));
      }
      expect(running).toBe(20);
      await app.close();
      expect(await committed()).toBe(20);
    } finally {
      await probe.close();
    }
  });
});
