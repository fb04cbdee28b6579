import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { schemaRegistryUrl } from '../helpers/schema-registry-env.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sr_peer.py');
/** Debian's interpreter: python3-confluent-kafka, -jsonschema, -protobuf and -requests are installed for it. */
const PYTHON = process.env.INTEROP_PYTHON ?? '/usr/bin/python3';

/** What the peer read: tagged values (see sr_peer.py), and the errors its deserializer raised. */
export interface PeerConsumed {
  records: unknown[];
  errors: string[];
}

/**
 * Runs Confluent's Python client (sr_peer.py) with one command: `json-produce` / `proto-produce` register the
 * schema (and, for Protobuf, its imports) through confluent_kafka's SchemaRegistryClient and produce the
 * tagged records to partition 0; `json-consume` / `proto-consume` read `count` records back.
 */
export function runSrPeer<T = PeerConsumed>(
  command: 'json-produce' | 'json-consume' | 'proto-produce' | 'proto-consume',
  request: Record<string, unknown>,
): Promise<T> {
  const child = spawn(PYTHON, [SCRIPT, command], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  child.stdin.end(JSON.stringify({ bootstrap: bootstrapServers(), registry: schemaRegistryUrl(), ...request }));
  return new Promise<T>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as T);
      else reject(new Error(`sr_peer.py ${command} exited with ${code}:\n${stderr}`));
    });
  });
}
