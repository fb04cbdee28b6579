import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);

/** The embedded 3-node cluster: node N (broker id N) is `pids[N - 1]`. */
export interface EmbeddedCluster {
  bootstrapServers: string;
  pids: number[];
}

/**
 * The running embedded 3-node cluster, read through `scripts/kafka.mjs` (the one place that knows its state), so
 * a spec sees the pids of nodes restarted by an earlier test. scripts/run-tests.mjs starts the cluster for the
 * cluster specs; by hand: `npm run kafka:start -- --cluster`.
 * @throws Error when no cluster runs or one of its nodes is down
 */
export async function embeddedCluster(): Promise<EmbeddedCluster> {
  const { stdout } = await run(process.execPath, ['scripts/kafka.mjs', 'status', '--cluster'], { cwd: ROOT });
  if (stdout.trim() === 'not running') {
    throw new Error('no embedded 3-node cluster: run `npm run test:faults`, or `npm run kafka:start -- --cluster` first');
  }
  const state = JSON.parse(stdout) as { bootstrapServers: string; pids: number[]; alive: boolean[] };
  const down = state.alive.flatMap((alive, i) => (alive ? [] : [i + 1]));
  if (down.length) throw new Error(`embedded cluster node(s) ${down.join(', ')} are down`);
  return { bootstrapServers: state.bootstrapServers, pids: state.pids };
}

/** SIGKILLs a node and waits until its process is gone (a JVM takes a moment to release its ports). */
export async function killNode(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && isRunning(pid); i++) await sleep(50);
}

/** Starts node `nodeId` again on its data (`scripts/kafka.mjs restart-node`); resolves once it is back. */
export async function restartNode(nodeId: number): Promise<void> {
  await run(process.execPath, ['scripts/kafka.mjs', 'restart-node', String(nodeId), '--cluster'], { cwd: ROOT, timeout: 120_000 });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
