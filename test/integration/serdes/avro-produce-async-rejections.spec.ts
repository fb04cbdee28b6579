import { spawn } from 'node:child_process';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { schemaRegistryUrl } from '../helpers/schema-registry-env.js';
import { createTopic } from '../helpers/topics.js';
import { transpileForChild } from '../helpers/transpile-for-child.js';

/** Before the fix, 8 of 12 single rounds died: 20 rounds in a row all passing by luck is (1/3)^20. */
const ROUNDS = 20;

describe('AvroProducer serde errors are never unhandled rejections (node --unhandled-rejections=strict, real broker and registry)', () => {
  let compiled: ReturnType<typeof transpileForChild>;
  beforeAll(() => {
    compiled = transpileForChild('test/integration/serdes/fixtures/produce-async-rejections.child.ts');
  });
  afterAll(() => compiled?.cleanup());

  it(`survives ${ROUNDS} rounds of 20 parallel produceAsync calls with one invalid value each, each call seeing its own outcome`, async () => {
    const topic = uniqueTopic('strict-rejections');
    await createTopic(topic);
    const child = spawn(process.execPath, ['--unhandled-rejections=strict', compiled.entry], {
      env: { ...process.env, TOPIC: topic, BOOTSTRAP: bootstrapServers(), REGISTRY: schemaRegistryUrl(), ROUNDS: String(ROUNDS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const t0 = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    console.log(`${ROUNDS} rounds x 20 produceAsync calls in ${Date.now() - t0} ms, exit code ${code}`);
    expect({ code, stderr: stderr.split('\n').slice(0, 8).join('\n') }).toEqual({ code: 0, stderr: '' });
    const outcome = JSON.parse(stdout) as { delivered: number; refused: string[] };
    expect(outcome.delivered).toBe(ROUNDS * 19);
    expect(outcome.refused).toEqual(Array(ROUNDS).fill('ValueSerializationError'));
  });
});
