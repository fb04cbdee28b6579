import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchemaReference } from '../../../lib/serdes/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { schemaRegistryUrl } from '../helpers/schema-registry-env.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'avro_peer.py');
/** Debian's interpreter: python3-confluent-kafka and python3-avro are installed for it, not for a pyenv one. */
const PYTHON = process.env.INTEROP_PYTHON ?? '/usr/bin/python3';

/** A record as tagged JSON (see avro_peer.py), so no value is rounded on its way through JSON. */
export interface TaggedRecord {
  key?: unknown;
  value: unknown;
}

/** Subjects the peer registers before producing (referenced schemas): [subject, schema text, references]. */
export type Registration = [string, string, SchemaReference[] | null];

function runPeer<T>(command: 'register' | 'produce' | 'consume', request: Record<string, unknown>): Promise<T> {
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
      else reject(new Error(`avro_peer.py ${command} exited with ${code}:\n${stderr}`));
    });
  });
}

/** Confluent's Python client registers schemas (each with its references) under their subjects. */
export function pythonRegister(register: Registration[]): Promise<{ ids: number[] }> {
  return runPeer('register', { register });
}

/**
 * Confluent's Python client registers the schemas (under `<topic>-value` / `<topic>-key`, with references)
 * and produces the records to partition 0.
 */
export function pythonProduce(req: {
  topic: string;
  schema: string;
  references?: SchemaReference[];
  keySchema?: string;
  records: TaggedRecord[];
}): Promise<{ valueSchemaId: number; keySchemaId: number | null }> {
  return runPeer('produce', req);
}

/** Confluent's Python client consumes `count` records from partition 0 and decodes them (onto a reader schema). */
export async function pythonConsume(topic: string, count: number, readerSchema?: string): Promise<TaggedRecord[]> {
  return (await runPeer<{ records: TaggedRecord[] }>('consume', { topic, count, readerSchema })).records;
}
