#!/usr/bin/env node
// npm start: build the package and the sample, start the embedded broker unless KAFKA_BOOTSTRAP_SERVERS is set,
// start the embedded Schema Registry unless SCHEMA_REGISTRY_URL is set, run the sample app, and stop what it
// started when the app exits (Ctrl-C included).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './lib/ensure-setup.mjs';
import { startBroker, stopBroker } from './lib/kafka-broker.mjs';
import { startSchemaRegistry, stopSchemaRegistry } from './lib/schema-registry.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

ensureSetup();
for (const script of ['build', 'build:sample']) {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let ownBroker = false;
if (!process.env.KAFKA_BOOTSTRAP_SERVERS) {
  const broker = await startBroker('single', 'sample');
  ownBroker = !broker.alreadyRunning;
  process.env.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrapServers;
}

// The sample's Avro topic needs a Schema Registry: started like the broker, unless SCHEMA_REGISTRY_URL is set.
// Without one (no JDK >= 21 here, say) the sample runs without its Avro topic.
let ownRegistry = false;
if (!process.env.SCHEMA_REGISTRY_URL && process.env.SAMPLE_AVRO !== 'off') {
  try {
    const registry = await startSchemaRegistry('sample');
    ownRegistry = !registry.alreadyRunning;
    process.env.SCHEMA_REGISTRY_URL = registry.url;
  } catch (e) {
    console.warn(`[sample] no Schema Registry (${e.message.split('\n')[0]}); running without the Avro receipts topic`);
  }
}

const app = spawn(process.execPath, [path.join(ROOT, 'dist-sample/main.js')], { cwd: ROOT, stdio: 'inherit' });
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopping = true;
    app.kill('SIGTERM');
  });
}
app.on('exit', async (code, signal) => {
  if (ownRegistry) await stopSchemaRegistry();
  if (ownBroker) await stopBroker('single');
  process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
});
