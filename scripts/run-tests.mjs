#!/usr/bin/env node
// npm test: build, start the embedded broker (unless KAFKA_BOOTSTRAP_SERVERS is set), run the unit and then the
// integration tests, stop the broker even when tests fail or the run is interrupted, and end with the line
// "N passed, N failed" that CI counts. Extra arguments go to jest (npm test -- test/unit/foo.spec.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './lib/ensure-setup.mjs';
import { startBroker, stopBroker } from './lib/kafka-broker.mjs';
import { startSchemaRegistry, stopSchemaRegistry } from './lib/schema-registry.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, '.cache/test-results');
const jestArgs = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
let ownBroker = false;
let ownRegistry = false;

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
  return r.status ?? 1;
}

function runJest(project, extra) {
  const out = path.join(RESULTS, `${project}.json`);
  fs.rmSync(out, { force: true });
  // Paths first: --selectProjects takes every following bare word as a project name.
  const args = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...jestArgs, '--selectProjects', project,
    '--json', `--outputFile=${out}`, '--passWithNoTests', ...extra];
  const status = run(process.execPath, args, { ...process.env, NODE_NO_WARNINGS: '1' });
  let counted = false;
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    // A suite that fails to load (syntax error, failing beforeAll) has no failed tests; count it once.
    const brokenSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
    totals.failed += r.numFailedTests + brokenSuites;
    counted = true;
  }
  if (status !== 0 && (!counted || totals.failed === 0)) totals.failed += 1;
  return status;
}

async function stopOwnBroker() {
  if (ownBroker) {
    ownBroker = false;
    await stopBroker('single');
  }
}

// The signal handler and main's finally may both get here; the second waits for the first's stop to end.
let registryStopping;
async function stopOwnRegistry() {
  if (ownRegistry) {
    ownRegistry = false;
    registryStopping = stopSchemaRegistry();
  }
  await registryStopping;
}

// Without a registry only the Avro specs fail (SCHEMA_REGISTRY_URL unset), so the other tests still run.
async function startOwnRegistry() {
  if (process.env.SCHEMA_REGISTRY_URL) return;
  try {
    const registry = await startSchemaRegistry('test');
    ownRegistry = !registry.alreadyRunning;
    process.env.SCHEMA_REGISTRY_URL = registry.url;
  } catch (e) {
    console.error(`[test] no schema registry, the Avro integration tests will fail: ${e.message}`);
  }
}

function summary() {
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    await stopOwnRegistry();
    await stopOwnBroker();
    process.exit(130);
  });
}

async function main() {
  fs.mkdirSync(RESULTS, { recursive: true });
  ensureSetup({ forTests: true });
  if (run('npm', ['run', '--silent', 'build']) !== 0 || run('npm', ['run', '--silent', 'typecheck']) !== 0) {
    totals.failed += 1;
    console.error('build failed');
    return 1;
  }
  let status = runJest('unit', []);
  try {
    if (!process.env.KAFKA_BOOTSTRAP_SERVERS) {
      const broker = await startBroker('single', 'test');
      ownBroker = !broker.alreadyRunning;
      process.env.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrapServers;
      process.env.KAFKA_SASL_BOOTSTRAP_SERVERS = broker.saslBootstrapServers;
      process.env.KAFKA_EMBEDDED_PIDS = broker.pids.join(',');
    }
    await startOwnRegistry();
    console.error(`[test] integration tests against ${process.env.KAFKA_BOOTSTRAP_SERVERS}`);
    status = runJest('integration', ['--runInBand', '--forceExit']) || status;
  } catch (e) {
    console.error(`[test] ${e.message}`);
    totals.failed += 1;
    status = 1;
  } finally {
    await stopOwnRegistry();
    await stopOwnBroker();
  }
  return status;
}

main().then(
  (status) => {
    summary();
    process.exit(status === 0 && totals.failed === 0 ? 0 : 1);
  },
  async (e) => {
    console.error(e);
    await stopOwnRegistry();
    await stopOwnBroker();
    totals.failed += 1;
    summary();
    process.exit(1);
  },
);
