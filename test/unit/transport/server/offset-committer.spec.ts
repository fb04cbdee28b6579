import { ErrorCode } from '../../../../lib/errors/index.js';
import { type LoopHarness, startLoop, stopLoop } from '../helpers/consume-loop-harness.js';
import { TopicPartition } from '../../../../lib/client/topic-partition.js';
import { type Gate, gate, pause, until } from '../helpers/wait.js';

/** OffsetCommitter as the consume loop drives it: commits the broker refuses, and what is kept of them. */
describe('OffsetCommitter', () => {
  let h: LoopHarness | undefined;
  afterEach(async () => {
    if (h) await stopLoop(h);
    h = undefined;
  });

  it('logs a commit the broker refuses on revocation, with the offsets, and never commits them for a partition it gave away', async () => {
    h = await startLoop(() => undefined, { commitIntervalMs: 60_000 });
    h.append(['a']);
    await until(() => h!.loop.flow.size === 0 && h!.handled.length === 1, 'the record to finish');
    h.kafka.inject('commit', ErrorCode.REBALANCE_IN_PROGRESS);
    await h.native.rebalance('revoke');
    expect(h.committed()).toBeUndefined();
    expect(h.logger.of('warn').map((l) => l.message)).toEqual([
      expect.stringMatching(
        /^Commit of TopicPartition\{topic=t,partition=0,offset=1\} failed: .*REBALANCE_IN_PROGRESS.*; not kept: the partitions were revoked$/,
      ),
    ]);
    await h.loop.stop();
    expect(h.native.commits).toHaveLength(1);
  });

  it('logs an asynchronous commit the broker refuses (reported through on_commit) with its partitions, and commits the offsets again', async () => {
    h = await startLoop(() => undefined, { commitIntervalMs: 5 });
    h.kafka.inject('commit', ErrorCode.COORDINATOR_NOT_AVAILABLE);
    h.append(['a']);
    await until(() => h!.committed() === 1, 'the commit of offset 1 after the refused one');
    expect(h.native.commits.slice(0, 2)).toEqual([
      { offsets: [{ topic: 't', partition: 0, offset: 1 }], sync: false },
      { offsets: [{ topic: 't', partition: 0, offset: 1 }], sync: false },
    ]);
    expect(h.logger.of('warn').map((l) => l.message)).toEqual([
      expect.stringMatching(
        /^Commit of TopicPartition\{topic=t,partition=0,offset=1\} failed: .*COORDINATOR_NOT_AVAILABLE.*; kept for the next commit$/,
      ),
    ]);
  });

  it('keeps the offsets of a refused synchronous commit until they are committed (close() tries again)', async () => {
    h = await startLoop(() => undefined, { commitIntervalMs: 60_000 });
    h.append(['a', 'b']);
    await until(() => h!.loop.flow.size === 0 && h!.handled.length === 2, 'both records to finish');
    h.kafka.inject('commit', ErrorCode.REBALANCE_IN_PROGRESS);
    await h.loop.stop();
    expect(h.committed()).toBe(2);
    expect(h.native.commits).toEqual([
      { offsets: [{ topic: 't', partition: 0, offset: 2 }], sync: true },
      { offsets: [{ topic: 't', partition: 0, offset: 2 }], sync: true },
    ]);
    expect(h.logger.of('warn').map((l) => l.message)).toEqual([
      expect.stringMatching(/failed: .*REBALANCE_IN_PROGRESS.*; kept for the next commit$/),
    ]);
  });

  it('never commits for lost partitions (onLost): finished offsets are dropped, a handler finishing late commits nothing', async () => {
    const g: Gate = gate();
    h = await startLoop((m) => (m.offset === 1 ? g.promise : undefined), { commitIntervalMs: 60_000, concurrency: 2, byKey: true });
    h.append(['a', 'b'], 0, true);
    await until(() => h!.handled.length === 2, 'both records running or done');
    await h.callbacks.onLost!(h.consumer, [new TopicPartition('t', 0)]);
    g.open();
    await pause(20);
    await h.loop.stop();
    expect(h.native.commits).toEqual([]);
    expect(h.committed()).toBeUndefined();
    expect(h.logger.of('warn').map((l) => l.message)).toEqual([expect.stringMatching(/^Partitions lost .*t\[0\].*not committed/)]);
  });
});
