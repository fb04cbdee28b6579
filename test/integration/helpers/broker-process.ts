import fs from 'node:fs';
import path from 'node:path';

/**
 * The pids of the embedded broker JVMs: KAFKA_EMBEDDED_PIDS (set by `npm test`) or the state file that
 * `npm run kafka:start` writes. Each is checked to be a kafka.Kafka JVM before a test signals it.
 * @throws Error when the tests run against a broker that is not the embedded one (it cannot be paused)
 */
export function embeddedBrokerPids(mode: 'single' | 'cluster' = 'single'): number[] {
  let pids = mode === 'single' ? (process.env.KAFKA_EMBEDDED_PIDS ?? '').split(',').filter(Boolean).map(Number) : [];
  if (pids.length === 0) {
    const state = path.resolve('.cache/kafka/run', mode, 'state.json');
    if (fs.existsSync(state)) pids = (JSON.parse(fs.readFileSync(state, 'utf8')) as { pids: number[] }).pids;
  }
  const live = pids.filter(
    (pid) => fs.existsSync(`/proc/${pid}/cmdline`) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('kafka.Kafka'),
  );
  if (live.length === 0 || live.length < pids.length)
    throw new Error('this fault test pauses the embedded broker: run it through `npm test` or after `npm run kafka:start`');
  return live;
}

/** Brokers this process has hung and not yet resumed; resumed at exit whatever ended the process. */
const hung = new Set<number>();
process.once('exit', () => {
  for (const pid of hung) resumeQuietly(pid);
});

function resumeQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    /* gone */
  }
}

/**
 * Hangs a broker (SIGSTOP) and returns the function that lets it run again (SIGCONT; calling it twice is
 * harmless). It resumes by itself after `maxMs` in any case: a test that awaits something which never settles
 * is abandoned by jest at its timeout without running its `finally`, and a broker left stopped would make every
 * later spec wait out its own timeout (that is how one stuck test can run a CI job into its limit).
 */
export function hangUntilResumed(pid: number, maxMs = 60_000): () => void {
  process.kill(pid, 'SIGSTOP');
  hung.add(pid);
  const resume = (): void => {
    clearTimeout(timer);
    if (hung.delete(pid)) resumeQuietly(pid);
  };
  const timer = setTimeout(resume, maxMs);
  return resume;
}

/**
 * Hangs a broker (SIGSTOP) for `ms`, then lets it run again (SIGCONT), even when the wait is interrupted.
 * @returns when it was stopped and continued (ms since the epoch)
 */
export async function hangBroker(pid: number, ms: number): Promise<{ stoppedAt: number; continuedAt: number }> {
  const stoppedAt = Date.now();
  const resume = hangUntilResumed(pid, ms);
  try {
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    resume();
  }
  return { stoppedAt, continuedAt: Date.now() };
}

/**
 * Runs `during` with the embedded single broker hung (SIGSTOP: connections stay open, nothing is answered), and
 * resumes it (SIGCONT) when `during` settles, or after `maxMs` if it never does.
 */
export async function withBrokerHung<T>(during: () => Promise<T>, maxMs = 60_000): Promise<T> {
  const [pid] = embeddedBrokerPids('single');
  const resume = hangUntilResumed(pid!, maxMs);
  try {
    return await during();
  } finally {
    resume();
  }
}

/**
 * The running embedded 3-node cluster (`npm run kafka:start -- --cluster`), read from its state file: node N
 * (broker id N) is `pids[N - 1]`.
 * @throws Error when it does not run
 */
export function embeddedClusterState(): { bootstrapServers: string; pids: number[] } {
  const file = path.resolve('.cache/kafka/run/cluster/state.json');
  const state = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { bootstrapServers: string }) : undefined;
  if (!state) throw new Error('no embedded 3-node cluster: start it with `npm run kafka:start -- --cluster`');
  return { bootstrapServers: state.bootstrapServers, pids: embeddedBrokerPids('cluster') };
}
