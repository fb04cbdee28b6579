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

/**
 * Hangs a broker (SIGSTOP) for `ms`, then lets it run again (SIGCONT), even when the wait is interrupted.
 * @returns when it was stopped and continued (ms since the epoch)
 */
export async function hangBroker(pid: number, ms: number): Promise<{ stoppedAt: number; continuedAt: number }> {
  const stoppedAt = Date.now();
  process.kill(pid, 'SIGSTOP');
  try {
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  return { stoppedAt, continuedAt: Date.now() };
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
