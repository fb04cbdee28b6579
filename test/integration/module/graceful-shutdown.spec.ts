import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RdKafkaAdminService, settleResults } from '../../../lib/admin/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { transpileForChild } from '../helpers/transpile-for-child.js';
import { waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const TOPIC = `graceful-${RUN}`;
const EMITTED = join(tmpdir(), `graceful-emitted-${RUN}.log`);
const HANDLED = join(tmpdir(), `graceful-handled-${RUN}.log`);
/** The shutdown must finish within this: drain (closeTimeoutMs 10 s) + flush + leaving the group, with margin. */
const SHUTDOWN_BOUND_MS = 20_000;

function ids(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}

function alive(child: ChildProcess): boolean {
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`child exited early (${child.exitCode ?? child.signalCode})`);
  return true;
}

describe('graceful shutdown with enableShutdownHooks (real broker, child process, SIGTERM mid-traffic)', () => {
  let compiled: ReturnType<typeof transpileForChild>;
  const children: ChildProcess[] = [];

  function start(produce: boolean): ChildProcess {
    const child = spawn(process.execPath, [compiled.entry], {
      env: {
        ...process.env,
        TOPIC,
        GROUP: `graceful-${RUN}`,
        EMITTED,
        HANDLED,
        BOOTSTRAP: bootstrapServers(),
        PRODUCE: produce ? '1' : '0',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    return child;
  }

  async function terminate(child: ChildProcess): Promise<number> {
    const t0 = Date.now();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('no exit after SIGTERM')), SHUTDOWN_BOUND_MS);
    });
    await Promise.race([exited, bound]).finally(() => clearTimeout(timer));
    // Nest re-raises the signal after its shutdown hooks ran.
    expect(child.signalCode === 'SIGTERM' || child.exitCode === 0).toBe(true);
    return Date.now() - t0;
  }

  beforeAll(() => {
    compiled = transpileForChild('test/integration/module/fixtures/graceful-shutdown.child.ts');
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    compiled?.cleanup();
    rmSync(EMITTED, { force: true });
    rmSync(HANDLED, { force: true });
    const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
    await settleResults(admin.deleteTopics([TOPIC]));
    await admin.close();
  });

  it('loses no message: everything emitted before SIGTERM is delivered and handled, nothing handled is redelivered', async () => {
    const first = start(true);
    await waitFor(() => alive(first) && ids(HANDLED).length >= 300, 60_000, 'the first run to handle 300 events while producing');
    const firstShutdownMs = await terminate(first);
    const emitted = new Set(ids(EMITTED));
    const handledByFirst = ids(HANDLED).length;
    expect(handledByFirst).toBeGreaterThanOrEqual(300);

    // The restart handles what the first run had not fetched; a record handled before the shutdown is not
    // handled again, since the drain committed it.
    const second = start(false);
    const missing = (): number[] => {
      const handled = new Set(ids(HANDLED));
      return [...emitted].filter((id) => !handled.has(id));
    };
    await waitFor(() => alive(second) && missing().length === 0, 60_000, 'every emitted event handled').catch((err: Error) => {
      const m = missing();
      throw new Error(`${err.message}: ${m.length} of ${emitted.size} emitted ids never handled (first ${m.slice(0, 20).join(', ')})`);
    });
    await terminate(second);
    const all = ids(HANDLED);
    const duplicates = all.length - new Set(all).size;
    process.stdout.write(
      `graceful shutdown: ${emitted.size} emitted, ${handledByFirst} handled before SIGTERM (shutdown took ${firstShutdownMs} ms), ${all.length - handledByFirst} after restart, ${duplicates} handled twice\n`,
    );
    expect(new Set(all).size).toBe(emitted.size);
    expect(duplicates).toBe(0);
  });
});
