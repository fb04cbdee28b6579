#!/usr/bin/env node
// npm start: build the package and the sample, start the embedded broker unless KAFKA_BOOTSTRAP_SERVERS is set,
// run the sample app, and stop the broker it started when the app exits (Ctrl-C included).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, stopBroker } from './lib/kafka-broker.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

const app = spawn(process.execPath, [path.join(ROOT, 'dist-sample/main.js')], { cwd: ROOT, stdio: 'inherit' });
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopping = true;
    app.kill('SIGTERM');
  });
}
app.on('exit', async (code, signal) => {
  if (ownBroker) await stopBroker('single');
  process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
});
