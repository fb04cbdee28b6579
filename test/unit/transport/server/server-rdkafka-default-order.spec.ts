import { FakeKafka, TestServerRdKafka } from '../../../../lib/testing/index.js';
import type { ServerRdKafkaOptions } from '../../../../lib/transport/server/server-rdkafka.options.js';
import type { RdKafkaContext } from '../../../../lib/transport/context/rdkafka.context.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';
import { type Gate, gate, pause, until } from '../helpers/wait.js';

// The server's default concurrency and ordering (issue 14): partitions are independent (a slow or failing
// record holds up only its own partition) and each partition keeps its order, keys and requests included, as
// with Nest's built-in transport. Options here set nothing about concurrency or order.

const GROUP = 'order';
const place = (ctx?: RdKafkaContext): string => `${ctx!.getTopic()}[${ctx!.getPartition()}]@${ctx!.getOffset()}`;

function listen(server: TestServerRdKafka): Promise<void> {
  return new Promise((resolve, reject) => void server.listen((err) => (err ? reject(err) : resolve())));
}

/** Runs of one partition's handler: when each started and finished, and the most at once. */
class Runs {
  readonly started: string[] = [];
  readonly finished: string[] = [];
  private running = 0;
  mostAtOnce = 0;

  async run(ctx: RdKafkaContext | undefined, work: () => Promise<void>): Promise<void> {
    this.started.push(place(ctx));
    this.mostAtOnce = Math.max(this.mostAtOnce, ++this.running);
    try {
      await work();
    } finally {
      this.running--;
      this.finished.push(place(ctx));
    }
  }
}

describe('ServerRdKafka default concurrency and order', () => {
  let kafka: FakeKafka;
  let server: TestServerRdKafka;
  let held: Gate;

  beforeEach(() => {
    kafka = new FakeKafka().createTopic('slow', 2).createTopic('fast', 1).createTopic('slow.reply', 1);
    held = gate();
  });
  afterEach(async () => {
    held.open();
    await server.close();
  });

  /** A server with the default concurrency and order unless `options` set them; handlers are added before listen. */
  function create(options: Partial<ServerRdKafkaOptions> = {}): TestServerRdKafka {
    server = new TestServerRdKafka(kafka, {
      client: {},
      postfixId: '',
      logger: new CaptureLogger(),
      closeTimeoutMs: 500,
      ...options,
      consumer: { 'group.id': GROUP, 'auto.commit.interval.ms': 10 },
    });
    return server;
  }

  it('handles and commits other topics and partitions while a record of one partition is held up', async () => {
    const fast: string[] = [];
    create();
    server.addHandler(
      'slow',
      async (_d: unknown, ctx?: RdKafkaContext) => {
        if (ctx!.getPartition() === 0) await held.promise;
        else fast.push(place(ctx));
      },
      true,
    );
    server.addHandler(
      'fast',
      async (_d: unknown, ctx?: RdKafkaContext) => {
        fast.push(place(ctx));
      },
      true,
    );
    await listen(server);
    kafka.append('slow', [{ value: '1' }, { value: '2' }], 0);
    await pause(20);
    kafka.append('fast', [{ value: '1' }, { value: '2' }]);
    kafka.append('slow', { value: '1' }, 1);
    await until(() => fast.length === 3, 'the records of the other partitions');
    expect(fast.sort()).toEqual(['fast[0]@0', 'fast[0]@1', 'slow[1]@0']);
    await until(() => kafka.committed(GROUP, 'fast', 0) === 2 && kafka.committed(GROUP, 'slow', 1) === 1, 'their commits');
    // At-least-once: nothing of the held partition is committed before its records finished.
    expect(kafka.committed(GROUP, 'slow', 0)).toBeUndefined();
    held.open();
    await until(() => kafka.committed(GROUP, 'slow', 0) === 2, "the held partition's commit once it finished");
  });

  it('runs the records of one partition one at a time in offset order, whatever their keys', async () => {
    const runs = new Runs();
    create();
    // Later records finish sooner: run at once, they would finish out of order.
    server.addHandler('slow', (d: { ms: number }, ctx?: RdKafkaContext) => runs.run(ctx, () => pause(d.ms)), true);
    await listen(server);
    kafka.append(
      'slow',
      [30, 20, 10, 0].map((ms, i) => ({ key: `k${i}`, value: JSON.stringify({ ms }) })),
      0,
    );
    await until(() => runs.finished.length === 4, 'the four records');
    expect(runs.finished).toEqual(['slow[0]@0', 'slow[0]@1', 'slow[0]@2', 'slow[0]@3']);
    expect(runs.mostAtOnce).toBe(1);
  });

  it('answers keyless requests of one partition in order, one at a time', async () => {
    const runs = new Runs();
    create();
    server.addHandler(
      'slow',
      (d: { n: number }, ctx?: RdKafkaContext) => runs.run(ctx, () => (d.n === 0 ? held.promise : Promise.resolve())).then(() => d),
      false,
    );
    await listen(server);
    kafka.append(
      'slow',
      [0, 1, 2].map((n) => ({
        value: JSON.stringify({ n }),
        headers: [
          ['kafka_correlationId', `c${n}`],
          ['kafka_replyTopic', 'slow.reply'],
        ] as const,
      })),
      0,
    );
    await until(() => runs.started.length === 1, 'the first request');
    await pause(30);
    expect(runs.started).toEqual(['slow[0]@0']);
    held.open();
    await until(() => kafka.records('slow.reply').length === 3, 'the three replies');
    expect(runs.finished).toEqual(['slow[0]@0', 'slow[0]@1', 'slow[0]@2']);
    expect(kafka.records('slow.reply').map((r) => JSON.parse(r.value!.toString()))).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it('keeps other partitions running while one retries a failing record, and while the stop policy pauses one', async () => {
    const other: string[] = [];
    let failures = 0;
    create({ errorPolicy: { mode: 'retry', retries: 1, initialBackoffMs: 1000, then: 'stop' } });
    server.addHandler(
      'slow',
      async (_d: unknown, ctx?: RdKafkaContext) => {
        if (ctx!.getPartition() === 0) {
          failures++;
          throw new Error('poison');
        }
        other.push(place(ctx));
      },
      true,
    );
    await listen(server);
    kafka.append('slow', [{ value: '1' }, { value: '2' }], 0);
    await until(() => failures === 1, 'the first failure');
    kafka.append('slow', [{ value: '1' }, { value: '2' }], 1);
    // During partition 0's backoff (1 s) before its retry.
    await until(() => other.length === 2, 'the other partition', 800);
    expect(failures).toBe(1);
    await until(() => kafka.consumers[0]!.isPaused('slow', 0), 'the stop of partition 0');
    kafka.append('slow', { value: '3' }, 1);
    await until(() => other.length === 3, 'the other partition after the stop');
    expect(kafka.consumers[0]!.isPaused('slow', 1)).toBe(false);
    await until(() => kafka.committed(GROUP, 'slow', 1) === 3, 'its commit');
    expect(kafka.committed(GROUP, 'slow', 0)).toBeUndefined();
  });

  it("with orderBy 'key' (opt-in) runs records of one partition with different keys at once", async () => {
    const runs = new Runs();
    create({ orderBy: 'key' });
    server.addHandler(
      'slow',
      (d: { k: number }, ctx?: RdKafkaContext) => runs.run(ctx, () => (d.k === 0 ? held.promise : Promise.resolve())),
      true,
    );
    await listen(server);
    kafka.append(
      'slow',
      [
        { key: 'a', value: '{"k":0}' },
        { key: 'b', value: '{"k":1}' },
        { key: 'a', value: '{"k":2}' },
      ],
      0,
    );
    await until(() => runs.finished.length === 1, 'the record of the other key');
    expect(runs.finished).toEqual(['slow[0]@1']);
    held.open();
    await until(() => runs.finished.length === 3, 'the rest, in key order');
    expect(runs.finished).toEqual(['slow[0]@1', 'slow[0]@0', 'slow[0]@2']);
    await until(() => kafka.committed(GROUP, 'slow', 0) === 3, 'the contiguous commit');
  });
});
