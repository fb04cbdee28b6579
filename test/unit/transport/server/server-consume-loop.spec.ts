import { ErrorCode } from '../../../../lib/errors/index.js';
import { RdKafkaStatus } from '../../../../lib/transport/rdkafka-status.enum.js';
import { type LoopHarness, startLoop, stopLoop } from '../helpers/consume-loop-harness.js';
import { type Gate, gate, pause, until } from '../helpers/wait.js';

/** One gate per offset of partition 0: the handler of that record finishes when the test opens it. */
function gates(n: number): Gate[] {
  return Array.from({ length: n }, () => gate());
}

describe('ServerConsumeLoop', () => {
  let h: LoopHarness | undefined;
  afterEach(async () => {
    if (h) await stopLoop(h);
    h = undefined;
  });

  it("commits nothing before the handler finished, then the record's offset + 1", async () => {
    const g = gates(1);
    h = await startLoop((m) => g[m.offset]!.promise);
    h.append(['a']);
    await until(() => h!.handled.length === 1, 'the handler to start');
    await pause(30); // six commit intervals
    expect(h.native.commits).toEqual([]);
    expect(h.committed()).toBeUndefined();
    g[0]!.open();
    await until(() => h!.committed() === 1, 'the commit of offset 1');
    expect(h.native.commits.every((c) => c.offsets !== null)).toBe(true); // explicit offsets, never the fetch positions
  });

  it('commits only the contiguous finished prefix when records finish out of order', async () => {
    const g = gates(3);
    h = await startLoop((m) => g[m.offset]!.promise, { concurrency: 3, byKey: true });
    h.append(['a', 'b', 'c'], 0, true);
    await until(() => h!.handled.length === 3, 'three handlers running at once');
    g[2]!.open();
    g[1]!.open();
    await pause(30);
    expect(h.committed()).toBeUndefined();
    g[0]!.open();
    await until(() => h!.committed() === 3, 'the commit of offset 3');
    const committedOffsets = h.native.commits.flatMap((c) => c.offsets ?? []).map((o) => o.offset);
    expect(committedOffsets).toEqual([3]);
  });

  it('on revoke drops queued records, drains the running handler, commits, then gives the partition away', async () => {
    const g = gates(2);
    h = await startLoop((m) => g[m.offset]!.promise, { commitIntervalMs: 60_000 });
    h.append(['a', 'b']);
    await until(() => h!.handled.length === 1 && h!.loop.flow.size === 2, 'record 0 running, record 1 queued');
    let revoked = false;
    const revoke = h.native.rebalance('revoke').then(() => {
      revoked = true;
    });
    await pause(20);
    expect(revoked).toBe(false); // librdkafka waits: the handler still runs
    expect(h.statuses).toContain(RdKafkaStatus.REBALANCING);
    g[0]!.open();
    await revoke;
    expect(h.committed()).toBe(1); // committed before the partition went (the fake resolves on unassign)
    expect(h.native.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: 1 }], sync: true }]);
    expect(h.native.assignments()).toEqual([]);
    await pause(10);
    expect(h.handled).toEqual([0]); // record 1 was dropped, not handled by a member that no longer owns it
  });

  it('gives a revoked partition away after drainTimeoutMs when a handler hangs, without committing it', async () => {
    const g = gates(1);
    h = await startLoop((m) => g[m.offset]!.promise, { drainTimeoutMs: 30, commitIntervalMs: 60_000 });
    h.append(['a']);
    await until(() => h!.handled.length === 1, 'the handler to start');
    const t0 = Date.now();
    await h.native.rebalance('revoke');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(h.committed()).toBeUndefined();
    g[0]!.open();
    await pause(20);
    expect(h.committed()).toBeUndefined(); // finished after the revoke: a stale record is never committed
  });

  it('stop policy: pauses the partition, seeks back to the failed record, and resume() retries it', async () => {
    let failing = true;
    h = await startLoop(
      (m) => {
        if (m.offset === 1 && failing) throw new Error('boom');
      },
      { policy: { mode: 'stop' } },
    );
    h.append(['a', 'b', 'c']);
    await until(() => h!.native.seeks.length === 1, 'the seek back');
    expect(h.native.pauses).toEqual([{ topic: 't', partition: 0 }]);
    expect(h.native.seeks).toEqual([{ topic: 't', partition: 0, offset: 1 }]);
    expect(h.native.isPaused('t', 0)).toBe(true);
    await until(() => h!.committed() === 1, 'the commit of the record before the failed one');
    await pause(20);
    expect(h.handled).toEqual([0, 1]); // record 2 was not handled past the failed one
    expect(h.committed()).toBe(1);
    expect(h.logger.of('error').map((l) => l.message)).toContainEqual(
      expect.stringContaining('Partition t[0] stopped at offset 1 by the error policy'),
    );
    failing = false;
    h.loop.resume('t', 0);
    await until(() => h!.committed() === 3, 'records 1 and 2 after resume');
    expect(h.handled).toEqual([0, 1, 1, 2]);
  });

  it("skip policy: logs the failure with the record's place and commits past it", async () => {
    h = await startLoop((m) => {
      if (m.offset === 0) throw new Error('boom');
    });
    h.append(['a', 'b']);
    await until(() => h!.committed() === 2, 'the commit past both records');
    expect(h.logger.of('error').map((l) => l.message)).toEqual([
      expect.stringContaining('Handler failed on t[0]@0 (attempt 1, giving up): Error: boom'),
    ]);
  });

  it('close() waits for running handlers and commits what finished', async () => {
    const g = gates(1);
    h = await startLoop((m) => g[m.offset]!.promise, { commitIntervalMs: 60_000 });
    h.append(['a']);
    await until(() => h!.handled.length === 1, 'the handler to start');
    let stopped = false;
    const stop = h.loop.stop().then(() => {
      stopped = true;
    });
    await pause(20);
    expect(stopped).toBe(false);
    g[0]!.open();
    await stop;
    expect(h.committed()).toBe(1);
    expect(h.native.commits.at(-1)).toEqual({ offsets: [{ topic: 't', partition: 0, offset: 1 }], sync: true });
  });

  it('close() gives up on a hanging handler after drainTimeoutMs, warns, and leaves it uncommitted', async () => {
    h = await startLoop(() => new Promise(() => undefined), { drainTimeoutMs: 30, commitIntervalMs: 60_000 });
    h.append(['a']);
    await until(() => h!.handled.length === 1, 'the handler to start');
    await h.loop.stop();
    expect(h.committed()).toBeUndefined();
    expect(h.logger.of('warn').map((l) => l.message)).toContainEqual(
      'close(): 1 records still in flight after 30 ms; they will be delivered again',
    );
  });

  it('backpressure: stops fetching while maxBuffered records are unfinished, and handles all in order later', async () => {
    const release = gate();
    h = await startLoop(() => release.promise, { maxBuffered: 4, batchSize: 2 });
    h.append(Array.from({ length: 20 }, (_, i) => `v${i}`));
    await until(() => h!.loop.flow.size >= 4, 'the buffer to fill');
    await pause(30);
    expect(h.loop.flow.size).toBe(4); // the bound holds exactly: never a batch past it, never the backlog
    release.open();
    await until(() => h!.committed() === 20, 'all 20 records');
    expect(h.handled).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('never buffers more than maxBuffered records: it consumes at most the free space', async () => {
    h = await startLoop(() => new Promise(() => undefined), { batchSize: 4, maxBuffered: 10, drainTimeoutMs: 0 });
    h.append(Array.from({ length: 100 }, (_, i) => `v${i}`));
    await until(() => h!.loop.flow.size >= 10, 'the buffer to fill');
    await pause(120);
    expect(h.loop.flow.size).toBe(10);
    expect(h.asked.filter((n) => n < 4)).toEqual([2]); // 4, 4, then only the 2 free places
  });

  it('gives close() one drain deadline: the revocation on leaving the group waits only what is left', async () => {
    h = await startLoop(() => new Promise(() => undefined), { drainTimeoutMs: 300 });
    h.append(['a', 'b']);
    await until(() => h!.handled.length === 1, 'the hung handler to start');
    const t0 = Date.now();
    await h.loop.stop();
    // What consumer.close() triggers: the partitions are revoked while the hung handler still runs.
    await h.native.rebalance('revoke');
    const ms = Date.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(450);
  });

  it('still waits the whole drainTimeoutMs for a revocation while running (a rebalance)', async () => {
    h = await startLoop(() => new Promise(() => undefined), { drainTimeoutMs: 100 });
    h.append(['a']);
    await until(() => h!.handled.length === 1, 'the hung handler to start');
    const t0 = Date.now();
    await h.native.rebalance('revoke');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
  });

  it('logs a consume error and goes on; end-of-partition events are not errors', async () => {
    h = await startLoop(() => undefined, { consumer: { 'enable.partition.eof': true } });
    h.kafka.inject('consume', ErrorCode._TRANSPORT);
    h.append(['a']);
    await until(() => h!.committed() === 1, 'the record after the error');
    const warnings = h.logger.of('warn').map((l) => l.message);
    expect(warnings).toEqual([expect.stringContaining('Consumer error (subscribed to t): ')]);
    expect(warnings[0]).toContain('transport failure');
  });

  it('a fatal consume error crashes the loop: status CRASHED, logged as an error with its code, no more fetching', async () => {
    h = await startLoop(() => undefined);
    await until(() => h!.statuses.includes(RdKafkaStatus.CONNECTED), 'the assignment');
    h.kafka.inject('consume', ErrorCode._FENCED, { fatal: true, message: 'Local: This instance has been fenced by a newer instance' });
    await until(() => h!.statuses.includes(RdKafkaStatus.CRASHED), 'status CRASHED');
    const errors = h.logger.of('error').map((l) => l.message);
    expect(errors).toEqual([expect.stringMatching(/^Fatal consumer error, the server stops consuming: .*code=_FENCED/)]);
    expect(h.logger.of('warn')).toEqual([]);
    h.append(['a']);
    await pause(50);
    expect(h.handled).toEqual([]);
  });

  it('manual commit: the loop commits nothing; the context commits its record', async () => {
    h = await startLoop(
      async (m, ctx) => {
        if (m.offset === 1) await ctx.commit();
      },
      { manualCommit: true },
    );
    h.append(['a', 'b', 'c']);
    await until(() => h!.handled.length === 3, 'three records');
    await pause(20);
    expect(h.native.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: 2 }], sync: true }]);
    expect(h.committed()).toBe(2);
  });

  it("a handler's seek drops what was queued after its record and fetching restarts at the new offset", async () => {
    let sought = false;
    h = await startLoop(async (m, ctx) => {
      if (m.offset === 3 && !sought) {
        sought = true;
        await ctx.seek(1);
      }
    });
    h.append(['a', 'b', 'c', 'd', 'e']);
    await until(() => h!.handled.length === 8, 'records 1 to 4 again after the seek');
    expect(h.handled).toEqual([0, 1, 2, 3, 1, 2, 3, 4]);
    expect(h.native.seeks).toEqual([{ topic: 't', partition: 0, offset: 1 }]);
    // A backward seek re-tracks from the new position: the commit follows the records handled again.
    await until(() => h!.committed() === 5, 'the commit of offset 5 after the records handled again');
  });

  it('a forward seek from a handler: the commit follows what is handled after it, never stalls at the seeking record', async () => {
    let sought = false;
    h = await startLoop(async (m, ctx) => {
      if (m.offset === 1 && !sought) {
        sought = true;
        await ctx.seek(3);
      }
    });
    h.append(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    await until(() => h!.handled.length === 6, 'records 0, 1 and 3 to 6');
    expect(h.handled).toEqual([0, 1, 3, 4, 5, 6]);
    await until(() => h!.committed() === 7, 'the commit of offset 7');
  });

  it('a seek to its own offset handles the record again and commits past it', async () => {
    let again = true;
    h = await startLoop(async (m, ctx) => {
      if (m.offset === 1 && again) {
        again = false;
        await ctx.seek(1);
      }
    });
    h.append(['a', 'b', 'c']);
    await until(() => h!.committed() === 3, 'the commit of offset 3');
    expect(h.handled).toEqual([0, 1, 1, 2]);
  });

  it('records of other keys running below a seeking record still count once they finish (concurrency > 1)', async () => {
    const g = gates(2);
    h = await startLoop(
      async (m, ctx) => {
        if (m.offset === 0) await g[0]!.promise;
        if (m.offset === 1) await ctx.seek(3);
      },
      { concurrency: 3, byKey: true },
    );
    h.append(['a', 'b', 'c', 'd', 'e'], 0, true);
    await until(() => h!.handled.includes(4), 'records after the seek');
    g[0]!.open();
    await until(() => h!.committed() === 5, 'the commit of offset 5 once record 0 finished');
  });

  it('stop policy with concurrency > 1: records of other keys below the failed one still count once they finish', async () => {
    const g = gates(1);
    h = await startLoop(
      async (m) => {
        if (m.offset === 0) await g[0]!.promise;
        if (m.offset === 1) throw new Error('boom');
      },
      { concurrency: 3, byKey: true, policy: { mode: 'stop' } },
    );
    h.append(['a', 'b', 'c'], 0, true);
    await until(() => h!.native.seeks.length === 1, 'the seek back to the failed record');
    g[0]!.open();
    await until(() => h!.committed() === 1, 'the commit of record 0 (below the failed record)');
    await pause(20);
    expect(h.committed()).toBe(1);
  });

  it("stop policy: a failed seek back is logged with the record's place", async () => {
    h = await startLoop(
      () => {
        throw new Error('boom');
      },
      { policy: { mode: 'stop' } },
    );
    h.kafka.inject('seek', ErrorCode._STATE, { topic: 't' });
    h.append(['a']);
    await until(() => h!.logger.of('error').some((l) => l.message.startsWith('seek to t[0]@0 failed')), 'the seek failure');
    expect(h.native.isPaused('t', 0)).toBe(true);
  });

  it('a revocation commits only the revoked partitions; the others keep theirs for the next commit', async () => {
    let done = 0;
    h = await startLoop(
      () => {
        done++;
      },
      { partitions: 2, commitIntervalMs: 60_000 },
    );
    h.append(['a'], 0);
    h.append(['b', 'c'], 1);
    await until(() => done === 3 && h!.loop.flow.size === 0, 'all three records');
    await h.native.rebalance('revoke', [{ topic: 't', partition: 1 }]);
    expect(h.native.commits).toEqual([{ offsets: [{ topic: 't', partition: 1, offset: 2 }], sync: true }]);
    await h.loop.stop();
    expect(h.native.commits.at(-1)).toEqual({ offsets: [{ topic: 't', partition: 0, offset: 1 }], sync: true });
  });

  it('a handler pauses and resumes its partition through the context', async () => {
    let paused = false;
    h = await startLoop((m, ctx) => {
      if (m.offset === 0) {
        ctx.pause();
        paused = h!.native.isPaused('t', 0);
        ctx.resume();
      }
    });
    h.append(['a', 'b']);
    await until(() => h!.committed() === 2, 'both records');
    expect(paused).toBe(true);
    expect(h.native.isPaused('t', 0)).toBe(false);
  });

  it('reports CONNECTED on assignment and REBALANCING on revocation', async () => {
    h = await startLoop(() => undefined);
    await until(() => h!.statuses.includes(RdKafkaStatus.CONNECTED), 'the assignment');
    await h.native.rebalance('revoke');
    expect(h.statuses).toEqual([RdKafkaStatus.CONNECTED, RdKafkaStatus.REBALANCING]);
  });
});
