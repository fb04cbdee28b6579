import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer, DeadLetterHeaders as H, type Message, Producer, TopicPartition } from '../../../lib/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { transpileForChild } from '../helpers/transpile-for-child.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const TOPIC = `sigkill-dlt-${RUN}`;
const GROUP = `sigkill-dlt-group-${RUN}`;
const outFile = (child: number): string => join(tmpdir(), `sigkill-dlt-${RUN}-${child}.log`);
const lines = (child: number): string[] =>
  existsSync(outFile(child)) ? readFileSync(outFile(child), 'utf8').split('\n').filter(Boolean) : [];

/** The group's committed offset of the topic's partition 0, or -1 without one. */
async function committed(): Promise<number> {
  const probe = new Consumer({ 'bootstrap.servers': bootstrapServers(), 'group.id': GROUP });
  await probe.connect();
  try {
    return (await probe.committed([new TopicPartition(TOPIC, 0)], 10_000))[0]!.offset;
  } finally {
    await probe.close();
  }
}

/** Every record of the dead-letter topic, read from its start until none came for a second (bounded). */
async function deadLetters(): Promise<Message[]> {
  const c = new Consumer({
    'bootstrap.servers': bootstrapServers(),
    'group.id': `reader-${randomUUID()}`,
    'auto.offset.reset': 'earliest',
  });
  await c.connect();
  try {
    c.subscribe([`${TOPIC}.dlt`]);
    const got: Message[] = [];
    for (let idle = 0, i = 0; idle < 5 && i < 100; i++) {
      const batch = (await c.consumeBatch(10, 200)).filter((m) => !m.error);
      got.push(...batch);
      idle = batch.length === 0 && got.length > 0 ? idle + 1 : 0;
    }
    return got;
  } finally {
    await c.close();
  }
}

describe('SIGKILL between the dead-letter write and the commit (real broker, child process)', () => {
  let compiled: ReturnType<typeof transpileForChild>;
  const children: ChildProcess[] = [];

  function startChild(n: number, commitMs: number): ChildProcess {
    const child = spawn(process.execPath, [compiled.entry], {
      env: { ...process.env, TOPIC, GROUP, OUT_FILE: outFile(n), BOOTSTRAP: bootstrapServers(), COMMIT_MS: String(commitMs) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    return child;
  }

  beforeAll(async () => {
    compiled = transpileForChild('test/integration/faults/fixtures/sigkill-dead-letter.child.ts');
    await createTopics([TOPIC, `${TOPIC}.dlt`]);
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    compiled?.cleanup();
    for (const n of [1, 2]) rmSync(outFile(n), { force: true });
  });

  it('loses nothing: the record is not committed, and the restarted app dead-letters it again and commits', async () => {
    const producer = new Producer({ 'bootstrap.servers': bootstrapServers(), 'linger.ms': 0 });
    await producer.connect();
    await producer.produceAsync(TOPIC, { key: 'k', value: '{"id":1}', partition: 0 });
    await producer.close();

    // Commits every minute: the kill comes after the acknowledged write, before any commit.
    const first = startChild(1, 60_000);
    await waitFor(() => lines(1).includes('dead-lettered 0'), 60_000, 'the acknowledged dead-letter write');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(await committed()).toBeLessThan(0);

    const second = startChild(2, 100);
    await waitFor(() => lines(2).includes('dead-lettered 0'), 60_000, 'the restarted app to handle the record again');
    let offset = -1;
    for (let i = 0; i < 50 && offset !== 1; i++) {
      offset = await committed();
      if (offset !== 1) await sleep(200);
    }
    expect(offset).toBe(1);
    second.kill('SIGKILL');

    // At-least-once: written twice (once per app), never lost.
    const records = await deadLetters();
    expect(records.length).toBeGreaterThanOrEqual(1);
    for (const r of records) {
      expect(r.value!.toString()).toBe('{"id":1}');
      expect(r.header(H.ORIGINAL_OFFSET)!.toString()).toBe('0');
    }
    process.stdout.write(`[faults] SIGKILL between dead-letter write and commit: ${records.length} dead-letter copies, 0 lost\n`);
  });
});
