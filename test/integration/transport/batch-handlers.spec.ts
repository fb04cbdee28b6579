import { randomUUID } from 'node:crypto';
import {
  type CallHandler,
  Controller,
  type ExecutionContext,
  type INestMicroservice,
  Injectable,
  Module,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import type { Observable } from 'rxjs';
import { Consumer, KafkaBatchPattern, Producer, type RdKafkaBatchContext, ServerRdKafka, TopicPartition } from '../../../lib/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = { sized: `batch-sized-${RUN}`, partial: `batch-partial-${RUN}`, held: `batch-held-${RUN}` };
const GROUP = `batch-${RUN}`;

const sized: number[][] = [];
const partial: number[][] = [];
const held: { first: number[][]; second: number[][] } = { first: [], second: [] };
let pipelineRuns = 0;
let release: () => void = () => undefined;
const gate = new Promise<void>((r) => (release = r));

/** Counts how often Nest's pipeline runs: once per batch, not per record. */
@Injectable()
class CountingInterceptor implements NestInterceptor {
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    pipelineRuns++;
    return next.handle();
  }
}

@Controller()
class BatchController {
  @UseInterceptors(CountingInterceptor)
  @KafkaBatchPattern(T.sized, { maxRecords: 10, maxWaitMs: 500 })
  sized(@Payload() values: { n: number }[]): void {
    sized.push(values.map((v) => v.n));
  }

  /** Refuses the records whose payload says so; the others succeed. */
  @EventPattern<string>(T.partial, { batch: { maxRecords: 50, maxWaitMs: 500 } })
  partial(@Payload() values: { n: number; bad?: boolean }[], @Ctx() ctx: RdKafkaBatchContext): void {
    partial.push(values.map((v) => v.n));
    values.forEach((v, i) => v.bad && ctx.fail(i, new Error(`refused ${v.n}`)));
  }

  @KafkaBatchPattern(T.held, { maxRecords: 100, maxWaitMs: 200 })
  async held(@Payload() values: { n: number }[]): Promise<void> {
    held.first.push(values.map((v) => v.n));
    await gate;
  }
}

/** The same group on the held topic, started after the first server closed. */
@Controller()
class RestartedController {
  @KafkaBatchPattern(T.held, { maxWaitMs: 200 })
  held(@Payload() values: { n: number }[]): void {
    held.second.push(values.map((v) => v.n));
  }
}

@Module({ controllers: [BatchController], providers: [CountingInterceptor] })
class BatchModule {}
@Module({ controllers: [RestartedController] })
class RestartedModule {}

async function produce(topic: string, values: object[]): Promise<void> {
  const p = new Producer({ 'bootstrap.servers': bootstrapServers() });
  await p.connect();
  try {
    await Promise.all(values.map((v) => p.produceAsync(topic, { value: JSON.stringify(v) })));
  } finally {
    await p.close();
  }
}

/** The first server's Prometheus registry: a batch's records count as handled records. */
const registry = new Registry();

function server(logger: CaptureLogger, metrics?: Registry): ServerRdKafka {
  return new ServerRdKafka({
    ...(metrics ? { metrics: { prometheus: metrics, openTelemetry: false } } : {}),
    client: { 'bootstrap.servers': bootstrapServers() },
    postfixId: '',
    logger,
    closeTimeoutMs: 5000,
    errorPolicy: { mode: 'retry', retries: 1, initialBackoffMs: 10, then: 'skip' },
    consumer: { 'group.id': GROUP, 'auto.commit.interval.ms': 200 },
  });
}

describe('Batch handlers (real broker)', () => {
  const logger = new CaptureLogger();
  let app: INestMicroservice | undefined;
  let restarted: INestMicroservice | undefined;
  let probe: Consumer;

  /** The group's committed offset of partition 0 (negative: none yet). */
  const committed = async (topic: string): Promise<number> => (await probe.committed([new TopicPartition(topic, 0)], 10_000))[0]!.offset;
  async function waitCommitted(topic: string, offset: number): Promise<void> {
    let last = -1;
    for (let i = 0; i < 120 && last !== offset; i++) {
      last = await committed(topic);
      if (last !== offset) await new Promise((r) => setTimeout(r, 250));
    }
    expect(last).toBe(offset);
  }

  beforeAll(async () => {
    await createTopics(Object.values(T));
    // Produced before the server starts, so the batch bounds (not the producer's pace) decide the sizes.
    await produce(
      T.sized,
      Array.from({ length: 25 }, (_, n) => ({ n })),
    );
    probe = new Consumer({ 'bootstrap.servers': bootstrapServers(), 'group.id': GROUP });
    await probe.connect();
    app = await listeningMicroservice(BatchModule, server(logger, registry), false);
  });

  afterAll(async () => {
    release();
    await app?.close();
    await restarted?.close();
    await probe?.close();
  });

  it('hands N records over as batches of at most maxRecords, in order, with the pipeline run once per batch', async () => {
    await waitFor(() => sized.flat().length >= 25, 30_000, 'all 25 records');
    expect(sized.flat()).toEqual(Array.from({ length: 25 }, (_, n) => n));
    expect(Math.max(...sized.map((b) => b.length))).toBe(10);
    expect(pipelineRuns).toBe(sized.length);
    await waitCommitted(T.sized, 25);
    const handled = (await registry.getSingleMetric('nestrdkafka_records_handled_total')!.get()).values;
    expect(handled.find((v) => v.labels.topic === T.sized && v.labels.outcome === 'success')?.value).toBe(25);
  });

  it('commits a batch with partial failure and routes the failed records through the error policy', async () => {
    await produce(
      T.partial,
      Array.from({ length: 6 }, (_, n) => ({ n, bad: n === 2 || n === 4 })),
    );
    await waitCommitted(T.partial, 6);
    // Each good record handled once; each refused one twice (its batch, then the retry, retries: 1), and the
    // retry held only refused records.
    const times = (n: number): number => partial.flat().filter((m) => m === n).length;
    expect([0, 1, 2, 3, 4, 5].map(times)).toEqual([1, 1, 2, 1, 2, 1]);
    const retries = partial.filter((b) => b.every((n) => n === 2 || n === 4));
    expect(retries.flat().sort()).toEqual([2, 4]);
    for (const n of [2, 4])
      expect(logger.of('error').map((l) => l.message)).toContainEqual(
        expect.stringMatching(
          new RegExp(`^Handler failed on ${T.partial}\\[0\\]@${n} \\(skipping it by the error policy\\): Error: refused ${n}$`),
        ),
      );
  });

  it('commits only after the handler resolved; a restarted consumer of the group does not read the batch again', async () => {
    await produce(
      T.held,
      Array.from({ length: 5 }, (_, n) => ({ n })),
    );
    await waitFor(() => held.first.flat().length >= 5, 30_000, 'the held batch');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await committed(T.held)).toBeLessThan(0);
    release();
    await waitCommitted(T.held, 5);
    await app!.close();
    app = undefined;
    restarted = await listeningMicroservice(RestartedModule, server(logger), false);
    await produce(T.held, [{ n: 5 }]);
    await waitFor(() => held.second.flat().length >= 1, 30_000, 'the record produced after the restart');
    await new Promise((r) => setTimeout(r, 500));
    expect(held.second.flat()).toEqual([5]);
    expect(held.first.flat()).toEqual([0, 1, 2, 3, 4]);
  });
});
