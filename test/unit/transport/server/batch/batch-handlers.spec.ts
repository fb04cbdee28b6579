import type { MessageHandler } from '@nestjs/microservices';
import { FakeKafka, TestServerRdKafka } from '../../../../../lib/testing/index.js';
import type { RdKafkaBatchContext } from '../../../../../lib/transport/context/rdkafka-batch.context.js';
import type { Deserializer } from '../../../../../lib/serdes/serializer.interface.js';
import type { KafkaBatchOptions } from '../../../../../lib/transport/server/batch/batch.options.js';
import type { HandlerErrorPolicy } from '../../../../../lib/transport/server/handler-error.policy.js';
import { CaptureLogger } from '../../../../integration/helpers/capture-logger.js';
import { gate, pause, until } from '../../helpers/wait.js';

const GROUP = 'nest-rdkafka-group-server';

/** One handler call: the payloads and the offsets of its batch. */
interface Call {
  data: unknown[];
  partition: number;
  offsets: number[];
}
type BatchFn = (data: unknown[], ctx: RdKafkaBatchContext) => Promise<void> | void;

describe('Batch handlers (ServerRdKafka on FakeKafka)', () => {
  let kafka: FakeKafka;
  let logger: CaptureLogger;
  let server: TestServerRdKafka | undefined;
  let calls: Call[];

  beforeEach(() => {
    kafka = new FakeKafka().createTopic('t', 1).createTopic('two', 2);
    logger = new CaptureLogger();
    calls = [];
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serve(
    topic: string,
    batch: KafkaBatchOptions,
    fn: BatchFn = () => undefined,
    policy?: HandlerErrorPolicy,
    maxBufferedRecords?: number,
    extras: Record<string, unknown> = {},
  ): Promise<TestServerRdKafka> {
    server = new TestServerRdKafka(kafka, {
      client: {},
      maxBufferedRecords,
      consumer: { 'auto.commit.interval.ms': 10 },
      logger,
      closeTimeoutMs: 2000,
      errorPolicy: policy ?? { mode: 'skip' },
    });
    const handler = (async (data: unknown[], ctx: RdKafkaBatchContext) => {
      calls.push({ data, partition: ctx.getPartition(), offsets: ctx.getContexts().map((c) => c.getOffset()) });
      await fn(data, ctx);
    }) as MessageHandler;
    server.addHandler(topic, handler, true, { ...extras, batch });
    await new Promise<void>((resolve, reject) => void server!.listen((err) => (err ? reject(err) : resolve())));
    return server;
  }

  const values = (n: number, from = 0): { value: string }[] => Array.from({ length: n }, (_, i) => ({ value: `{"n":${from + i}}` }));

  it('hands records over in batches of at most maxRecords, in offset order, and commits them all', async () => {
    kafka.append('t', values(10));
    await serve('t', { maxRecords: 4, maxWaitMs: 0 });
    await until(() => kafka.committed(GROUP, 't', 0) === 10, 'all ten committed');
    expect(calls.every((c) => c.data.length <= 4)).toBe(true);
    expect(calls.flatMap((c) => c.offsets)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calls.flatMap((c) => c.data)).toEqual(values(10).map((_, i) => ({ n: i })));
    expect(calls.length).toBeGreaterThanOrEqual(3);
  });

  it('closes a batch before it would exceed maxBytes (values and keys)', async () => {
    // 8-byte values: {"n":0} is 7 bytes, padded to 8 with a space (JSON allows it).
    kafka.append(
      't',
      values(6).map((v) => ({ value: `${v.value} ` })),
    );
    await serve('t', { maxBytes: 17, maxWaitMs: 0 });
    await until(() => kafka.committed(GROUP, 't', 0) === 6, 'all six committed');
    expect(calls.map((c) => c.offsets)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
  });

  it('waits up to maxWaitMs for more records: a record arriving within it joins the batch', async () => {
    kafka.append('t', values(1));
    await serve('t', { maxRecords: 2, maxWaitMs: 10_000 });
    await pause(100);
    expect(calls).toEqual([]);
    kafka.append('t', values(1, 1));
    await until(() => calls.length === 1, 'the batch of two');
    expect(calls[0]!.offsets).toEqual([0, 1]);
  });

  it('goes with what it has once maxWaitMs is over', async () => {
    kafka.append('t', values(1));
    await serve('t', { maxRecords: 100, maxWaitMs: 50 });
    await until(() => kafka.committed(GROUP, 't', 0) === 1, 'the lone record committed');
    expect(calls.map((c) => c.offsets)).toEqual([[0]]);
  });

  it('stops waiting once the buffer (maxBufferedRecords) is full: waiting could not bring more', async () => {
    kafka.append('t', values(6));
    await serve('t', { maxRecords: 10, maxWaitMs: 60_000 }, undefined, undefined, 3);
    await until(() => kafka.committed(GROUP, 't', 0) === 6, 'all six committed, long before maxWaitMs');
    expect(calls.map((c) => c.offsets)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('a revocation ends the wait: the batch is handled and committed before the partition goes', async () => {
    kafka.append('t', values(2));
    await serve('t', { maxRecords: 100, maxWaitMs: 60_000 });
    await until(() => (kafka.consumers[0]?.assignments().length ?? 0) > 0, 'the assignment');
    await pause(100);
    expect(calls).toEqual([]);
    await kafka.consumers[0]!.rebalance('revoke');
    await until(() => kafka.committed(GROUP, 't', 0) === 2, 'the commit on revocation');
    expect(calls.map((c) => c.offsets)).toEqual([[0, 1]]);
  });

  it('commits a batch only after the handler resolved', async () => {
    const held = gate();
    kafka.append('t', values(3));
    await serve('t', { maxWaitMs: 0 }, () => held.promise);
    await until(() => calls.length === 1, 'the batch started');
    await pause(100);
    expect(kafka.committed(GROUP, 't', 0)).toBeUndefined();
    held.open();
    await until(() => kafka.committed(GROUP, 't', 0) === 3, 'the commit after the handler');
  });

  it('keeps partition order and never mixes partitions in one batch', async () => {
    kafka.append('two', values(5), 0);
    kafka.append('two', values(5, 100), 1);
    await serve('two', { maxRecords: 3, maxWaitMs: 0 });
    await until(() => kafka.committed(GROUP, 'two', 0) === 5 && kafka.committed(GROUP, 'two', 1) === 5, 'both partitions committed');
    for (const p of [0, 1]) expect(calls.filter((c) => c.partition === p).flatMap((c) => c.offsets)).toEqual([0, 1, 2, 3, 4]);
    for (const c of calls) expect(c.data).toEqual(c.offsets.map((o) => ({ n: o + (c.partition === 1 ? 100 : 0) })));
  });

  it('partial failure: marked records are retried as a smaller batch, the rest is not handled again', async () => {
    kafka.append('t', values(4));
    let first = true;
    await serve(
      't',
      { maxWaitMs: 0 },
      (_data, ctx) => {
        if (!first) return;
        first = false;
        ctx.fail(1, new Error('row 1 refused'));
        ctx.fail(ctx.getContexts()[3]!, new Error('row 3 refused'));
      },
      { mode: 'retry', retries: 2, initialBackoffMs: 1 },
    );
    await until(() => kafka.committed(GROUP, 't', 0) === 4, 'all four committed');
    expect(calls.map((c) => c.offsets)).toEqual([
      [0, 1, 2, 3],
      [1, 3],
    ]);
    expect(logger.of('error').map((l) => l.message)).toEqual([
      expect.stringMatching(
        /^Batch handler failed on t\[0\]@1\.\.3 \(2 records, attempt 1, retrying\).*2 of 4 records marked failed.*row 1 refused/,
      ),
    ]);
  });

  it('partial failure, policy gives up: each failed record gets the final outcome (skip), logged with its place', async () => {
    kafka.append('t', values(3));
    await serve(
      't',
      { maxWaitMs: 0 },
      (_data, ctx) =>
        ctx.fail(
          ctx.getContexts().findIndex((c) => c.getOffset() === 1),
          new Error('bad row'),
        ),
      {
        mode: 'retry',
        retries: 1,
        initialBackoffMs: 1,
      },
    );
    await until(() => kafka.committed(GROUP, 't', 0) === 3, 'committed past the skipped record');
    expect(calls.map((c) => c.offsets)).toEqual([[0, 1, 2], [1]]);
    const errors = logger.of('error').map((l) => l.message);
    expect(errors).toContainEqual(expect.stringMatching(/^Handler failed on t\[0\]@1 \(skipping it by the error policy\): Error: bad row/));
  });

  it('partial failure with the stop policy: commits up to the failed record and pauses there', async () => {
    kafka.append('t', values(4));
    await serve('t', { maxWaitMs: 0 }, (_d, ctx) => ctx.fail(2, new Error('no')), { mode: 'stop' });
    await until(() => kafka.consumers[0]!.isPaused('t', 0), 'the stop');
    await until(() => kafka.committed(GROUP, 't', 0) === 2, 'the commit of the records before it');
    await pause(50);
    expect(kafka.committed(GROUP, 't', 0)).toBe(2);
  });

  it('whole-batch failure: the batch is retried by the policy, then each record gets the final outcome', async () => {
    kafka.append('t', values(2));
    await serve(
      't',
      { maxWaitMs: 0 },
      () => {
        throw new Error('database down');
      },
      { mode: 'retry', retries: 2, initialBackoffMs: 1, then: 'skip' },
    );
    await until(() => kafka.committed(GROUP, 't', 0) === 2, 'committed past the skipped batch');
    expect(calls.map((c) => c.offsets)).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    const skipped = logger.of('error').filter((l) => l.message.startsWith('Handler failed on'));
    expect(skipped.map((l) => l.message.slice(0, 28))).toEqual(['Handler failed on t[0]@0 (sk', 'Handler failed on t[0]@1 (sk']);
  });

  it('a record that cannot be decoded is left out of the batch and goes through the policy alone', async () => {
    // A handler's own deserializer that refuses one value: the others are decoded and handled as one batch.
    const deserializer: Deserializer = {
      deserialize: (data) => {
        if (data?.toString() === 'poison') throw new Error('not a number');
        return Number(data?.toString());
      },
    };
    kafka.append('t', [{ value: '10' }, { value: 'poison' }, { value: '12' }]);
    await serve('t', { maxWaitMs: 0 }, undefined, { mode: 'retry', retries: 1, initialBackoffMs: 1 }, undefined, { deserializer });
    await until(() => kafka.committed(GROUP, 't', 0) === 3, 'all committed');
    expect(calls.map((c) => [c.offsets, c.data])).toEqual([
      [
        [0, 2],
        [10, 12],
      ],
    ]);
    const errors = logger.of('error').map((l) => l.message);
    expect(errors).toEqual([
      expect.stringMatching(/^Could not decode t\[0\]@1 \(attempt 1, retrying\): ValueDeserializationError: .*not a number \(t\[0\]@1\)/),
      expect.stringMatching(/^Could not decode t\[0\]@1 \(attempt 2, giving up\)/),
    ]);
  });

  it('close() hands a batch still waiting for records to the handler and commits it', async () => {
    kafka.append('t', values(3));
    const s = await serve('t', { maxRecords: 100, maxWaitMs: 60_000 });
    await until(() => (kafka.consumers[0]?.assignments().length ?? 0) > 0, 'the assignment');
    await pause(100);
    expect(calls).toEqual([]);
    const started = Date.now();
    await s.close();
    server = undefined;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(calls.map((c) => c.offsets)).toEqual([[0, 1, 2]]);
    expect(kafka.committed(GROUP, 't', 0)).toBe(3);
  });

  it('close() does not commit a batch whose handler has not finished within closeTimeoutMs', async () => {
    kafka.append('t', values(2));
    const s = await serve('t', { maxWaitMs: 0 }, () => new Promise(() => undefined));
    await until(() => calls.length === 1, 'the batch started');
    await s.close();
    server = undefined;
    expect(kafka.committed(GROUP, 't', 0)).toBeUndefined();
  });

  it('listen() fails on a bound that is not a positive integer', async () => {
    await expect(serve('t', { maxRecords: 0 })).rejects.toThrow(new RangeError('batch.maxRecords must be an integer >= 1, got 0'));
  });
});
