import fs from 'node:fs';
import path from 'node:path';
import { bootstrapServers } from './kafka-env.js';

/**
 * The JVM pid of the embedded single broker the tests talk to (scripts/lib/kafka-broker.mjs keeps it in
 * .cache/kafka/run/single/state.json). Throws when the tests run against another broker: a hang can only be
 * simulated on the embedded one.
 */
function embeddedBrokerPid(): number {
  const file = path.join(process.cwd(), '.cache/kafka/run/single/state.json');
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as { bootstrapServers: string; pids: number[] };
  if (state.bootstrapServers !== bootstrapServers() || state.pids.length !== 1) {
    throw new Error(`the broker at ${bootstrapServers()} is not the embedded single broker of ${file}`);
  }
  return state.pids[0]!;
}

/**
 * Runs `during` with the embedded broker hung (SIGSTOP: connections stay open, nothing is answered), and resumes
 * it (SIGCONT) whatever happens.
 */
export async function withBrokerHung<T>(during: () => Promise<T>): Promise<T> {
  const pid = embeddedBrokerPid();
  process.kill(pid, 'SIGSTOP');
  try {
    return await during();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}
