import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer, Producer, TopicPartition } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { transpileForChild } from '../helpers/transpile-for-child.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

/** Half is produced before the app starts, half while it lies dead. */
const COUNT = 600;
const RUN = randomUUID().slice(0, 8);
const TOPIC = `sigkill-${RUN}`;
const GROUP = `sigkill-group-${RUN}`;
const outFile = (child: number): string => join(tmpdir(), `sigkill-${RUN}-${child}.log`);

interface Handling {
  id: number;
  at: number;
}

/** What child `n` handled so far ("id time" lines), in order. */
function handled(child: number): Handling[] {
  if (!existsSync(outFile(child))) return [];
  return readFileSync(outFile(child), 'utf8')
    .split('\n')
    .flatMap((l) => {
      const m = /^(\d+) (\d+)$/.exec(l);
      return m ? [{ id: Number(m[1]), at: Number(m[2]) }] : [];
    });
}

/** Throws when the child died on its own, so the wait fails at once with the reason. */
function alive(child: ChildProcess): boolean {
  if (child.exitCode !== null) throw new Error(`child exited with code ${child.exitCode}`);
  return true;
}

describe('SIGKILL of a consuming app mid-stream, then restart (real broker, child process)', () => {
  let compiled: ReturnType<typeof transpileForChild>;
  let producer: Producer;
  const children: ChildProcess[] = [];

  function startChild(n: number): ChildProcess {
    const child = spawn(process.execPath, [compiled.entry], {
      env: { ...process.env, TOPIC, GROUP, OUT_FILE: outFile(n), BOOTSTRAP: bootstrapServers() },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    return child;
  }

  async function produce(from: number, to: number): Promise<void> {
    const ids = Array.from({ length: to - from }, (_, i) => from + i);
    await Promise.all(ids.map((id) => producer.produceAsync(TOPIC, { key: `k${id % 7}`, value: JSON.stringify({ id }) })));
  }

  /** The group's committed offsets summed over the partitions, once it has committed anything (bounded wait). */
  async function committedProgress(): Promise<number> {
    const probe = new Consumer({ 'bootstrap.servers': bootstrapServers(), 'group.id': `${GROUP}-server` });
    await probe.connect();
    try {
      for (let i = 0; i < 100; i++) {
        const tps = await probe.committed([0, 1, 2].map((p) => new TopicPartition(TOPIC, p)));
        const committed = tps.reduce((sum, tp) => sum + Math.max(0, tp.offset), 0);
        if (committed > 0) return committed;
        await sleep(50);
      }
      return 0;
    } finally {
      await probe.close();
    }
  }

  beforeAll(async () => {
    compiled = transpileForChild('test/integration/faults/fixtures/sigkill-consumer.child.ts');
    await createTopics([TOPIC], 3);
    producer = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 5 });
    await producer.connect();
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await producer?.close();
    compiled?.cleanup();
    for (const n of [1, 2]) rmSync(outFile(n), { force: true });
  });

  it('handles every record at least once (0 lost) when the app is SIGKILLed mid-stream and restarted', async () => {
    await produce(0, COUNT / 2);
    const first = startChild(1);
    await waitFor(() => alive(first) && handled(1).length >= COUNT / 8, 60_000, 'the first app to handle a quarter of the records');
    // Kill only once the group committed some progress, so the restart must resume mid-stream from commits.
    const committed = await committedProgress();
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killedAt = Date.now();
    const beforeKill = handled(1).length;
    expect(beforeKill).toBeLessThan(COUNT / 2);

    // The stream goes on while the app is down. The dead member keeps its partitions until its session times
    // out (6 s in the child's config); the restarted one then gets them and resumes from the committed offsets.
    await produce(COUNT / 2, COUNT);
    const restartedAt = Date.now();
    const second = startChild(2);
    const ids = () => new Set([...handled(1), ...handled(2)].map((h) => h.id));
    await waitFor(() => alive(second) && ids().size === COUNT, 60_000, 'every record handled');

    const all = [...handled(1), ...handled(2)];
    const unique = ids();
    const lost = Array.from({ length: COUNT }, (_, id) => id).filter((id) => !unique.has(id));
    const resumedAt = handled(2)[0].at;
    // Records handled after the last commit and before the kill are handled again: allowed by at-least-once.
    process.stdout.write(
      `[faults] SIGKILL of a consuming app: produced ${COUNT}, handled ${all.length} (${beforeKill} before the kill, ` +
        `${committed} committed then), redelivered ${all.length - unique.size}, lost ${lost.length}; time to resume ` +
        `${resumedAt - killedAt} ms after the kill (${resumedAt - restartedAt} ms after the restart)\n`,
    );
    expect(lost).toEqual([]);
  });
});
