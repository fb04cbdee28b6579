#!/usr/bin/env node
// npm test: build, lint, check formatting, start the embedded broker (unless KAFKA_BOOTSTRAP_SERVERS is set), run
// the unit tests, the integration tests, then the fault suite (test/integration/faults: its cluster-* specs against
// the embedded 3-node cluster, started here for them), stop what it started even when tests fail or the run is
// interrupted, and end with the line "N passed, N failed" that CI counts. Extra arguments go to jest
// (npm test -- test/unit/foo.spec.ts). `--faults` (npm run test:faults) runs only the fault suite.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './lib/ensure-setup.mjs';
import { resumeBroker, startBroker, stopBroker } from './lib/kafka-broker.mjs';
import { startSchemaRegistry, stopSchemaRegistry } from './lib/schema-registry.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, '.cache/test-results');
const faultsOnly = process.argv.includes('--faults');
const jestArgs = process.argv.slice(2).filter((a) => a !== '--faults');
const totals = { passed: 0, failed: 0, skipped: 0 };
/** Seconds per phase, printed with the summary (the fault suite's time in CI is read from here). */
const timings = [];
/** Spec files run a second time, and how that ended (printed with the summary). */
const reruns = [];
const owned = { single: false, cluster: false };
let ownRegistry = false;

// Jest ORs path patterns but ANDs ignore patterns, so phases are cut with ignore patterns and a user's own path
// arguments still narrow each phase. (?!…) ignores every path outside the folder.
const FAULTS = '/test/integration/faults/';
const CLUSTER = '/test/integration/faults/cluster-';
const PHASES = {
  integration: ['/node_modules/', FAULTS],
  faults: ['/node_modules/', `^(?!.*${FAULTS})`, CLUSTER],
  cluster: ['/node_modules/', `^(?!.*${CLUSTER})`],
};
const ignoring = (patterns) => patterns.map((p) => `--testPathIgnorePatterns=${p}`);

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
  return r.status ?? 1;
}

/**
 * Wall-clock bound of each jest phase, in seconds. Jest's own timeouts cannot fire while its thread is blocked
 * in native code, and one such hang once ran a CI job into its limit with no line saying where; so a phase that
 * outlives its bound is stopped here: the native stacks of its threads are printed (gdb, when installed), its
 * process group is killed, and the run goes on to the next phase and the summary. The bounds are several times
 * the phases' normal length on a loaded two-core machine.
 */
const PHASE_BOUND_S = { unit: 600, integration: 1200, faults: 480, 'faults-cluster': 480 };
/** A re-run covers a few files: half its phase's bound (worst case of a whole run, set-up included: ~65 min). */
const RERUN_BOUND_S = Object.fromEntries(Object.entries(PHASE_BOUND_S).map(([k, v]) => [`${k}-rerun`, Math.max(300, v / 2)]));
/** The jest process groups now running, killed on SIGINT/SIGTERM too. */
const running = new Set();

function printNativeStacks(pid) {
  if (spawnSync('sh', ['-c', 'command -v gdb'], { stdio: 'ignore' }).status !== 0) return;
  const r = spawnSync('gdb', ['-p', String(pid), '-batch', '-nx', '-ex', 'thread apply all bt 25'], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  // One line per thread, its innermost frames' function names: enough to see where the main thread and the
  // native client threads wait (a libuv pool thread idle in uv_cond_wait is normal).
  const lines = [];
  for (const thread of (r.stdout ?? '').split(/\n(?=Thread \d+ )/).filter((t) => t.startsWith('Thread '))) {
    const head = thread.slice(0, thread.indexOf('\n')).replace(/\(Thread 0x[0-9a-f]+ /, '(');
    const names = [...thread.matchAll(/^#\d+\s+(?:0x[0-9a-f]+ in )?([^\s(]+)/gm)]
      .map((m) => m[1].slice(0, 70))
      .filter((n) => !/^(_{2,}|do_futex|start_thread$|clone3$)/.test(n));
    lines.push(`${head} ${names.slice(0, 12).join(' < ')}`);
  }
  console.error(`[test] native stacks of the hung jest process ${pid}:\n${lines.join('\n')}\n[test] end of stacks`);
}

/** How long a jest process may take to exit once its run is over before it is stopped. */
const EXIT_GRACE_MS = 15_000;

/** The run's last line (see the progress reporter), once jest wrote it. */
function runCompletion(progressFile) {
  if (!fs.existsSync(progressFile)) return null;
  const last = fs.readFileSync(progressFile, 'utf8').trimEnd().split('\n').pop();
  const r = last ? JSON.parse(last) : null;
  return r?.complete ? r : null;
}

/**
 * Runs a jest phase in its own process group and stops it at its bound; resolves to its exit status. A jest
 * process that finished its run (the reporter's last line) but has not exited EXIT_GRACE_MS later is stopped
 * too, with the run's own result: with --forceExit jest calls process.exit(), which waits for every libuv pool
 * thread, and one CI run's jest hung there for good on a node-rdkafka consumer whose native destroy never
 * ended (its stacks: uv__threadpool_cleanup < KafkaConsumerDisconnect < rd_kafka_destroy_app joining a broker
 * thread).
 */
function runBounded(name, args, env) {
  const boundS = Number(process.env.NEST_RDKAFKA_PHASE_BOUND_S) || PHASE_BOUND_S[name] || RERUN_BOUND_S[name] || 600;
  const progressFile = env.NEST_RDKAFKA_PROGRESS_FILE;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env, detached: true });
    running.add(child);
    let completedAt = 0;
    let completion = null;
    const exitWatch = setInterval(() => {
      completion ??= runCompletion(progressFile);
      if (!completion) return;
      completedAt ||= Date.now();
      if (Date.now() - completedAt < EXIT_GRACE_MS) return;
      clearInterval(exitWatch);
      console.error(`[test] ${name}: jest finished its run but did not exit within ${EXIT_GRACE_MS / 1000} s; stopping it`);
      printNativeStacks(child.pid);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 1000);
    const timer = setTimeout(() => {
      console.error(`[test] ${name}: still running after ${boundS} s; the last "[spec] start" line without an "end" names the spec`);
      printNativeStacks(child.pid);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, boundS * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(exitWatch);
      running.delete(child);
      // Children a spec started (peers, fixture apps) die with the group, not left to hold ports or pipes; a
      // broker node a killed spec left stopped (SIGSTOP) runs again for the next phase.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* none left */
      }
      if (owned.single) resumeBroker('single');
      if (owned.cluster) resumeBroker('cluster');
      // Stopped after its run was over: the run's own result counts.
      const finished = completion ?? runCompletion(progressFile);
      if (code === null && finished) resolve(finished.success ? 0 : 1);
      else resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const jestCli = (project, extra) => [
  '--experimental-vm-modules',
  'node_modules/jest/bin/jest.js',
  ...jestArgs,
  // Paths first: --selectProjects takes every following bare word as a project name.
  '--selectProjects',
  project,
  ...extra,
];

/** The spec files a phase would run. */
function listTests(project, extra) {
  const r = spawnSync(process.execPath, [...jestCli(project, extra), '--listTests'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return r.stdout.split('\n').filter((l) => l.endsWith('.spec.ts'));
}

/** Each finished spec file's outcome, as the progress reporter wrote it (the last line per file wins). */
function readProgress(file) {
  const byPath = new Map();
  if (!fs.existsSync(file)) return byPath;
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    if (r.path) byPath.set(r.path, r);
  }
  return byPath;
}

/** One jest process over `files` (all of the phase when null); resolves to its exit status. */
async function runJestOnce(name, project, extra, progressFile, files) {
  // One jest process runs every spec of a phase, each with its own clients: every node-rdkafka consumer holds a
  // libuv pool thread while it waits in consume(), and a native connect or disconnect to a hung broker holds one
  // until its timeout. Four threads (libuv's default) were seen to run out under load, stalling the next spec's
  // consumers; the README gives the same advice for applications with many clients.
  const env = {
    ...process.env,
    NODE_NO_WARNINGS: '1',
    UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16',
    NEST_RDKAFKA_PROGRESS_FILE: progressFile,
  };
  const reporters = ['--reporters=default', `--reporters=${path.join(ROOT, 'scripts/test/progress-reporter.cjs')}`];
  const only = files ? ['--runTestsByPath', ...files] : [];
  return runBounded(name, jestCli(project, ['--passWithNoTests', ...reporters, ...extra, ...only]), env);
}

/**
 * Runs a phase, then once more for the spec files that failed or never finished (a hung phase is stopped at its
 * bound), each in a fresh jest process: the integration and fault specs drive a real broker on a loaded
 * two-core machine, and one CI run hung in a spec that passes everywhere else. Every re-run is named in the
 * output and in the summary line's note; a spec that fails twice counts as failed. The counts are those of the
 * last run of each file.
 */
async function runJest(name, project, extra, { rerun = true } = {}) {
  const started = Date.now();
  const files = listTests(project, extra);
  const first = path.join(RESULTS, `${name}.jsonl`);
  fs.rmSync(first, { force: true });
  let status = await runJestOnce(name, project, extra, first, null);
  const results = readProgress(first);
  const again = files.filter((f) => !results.has(f) || results.get(f).failed > 0);
  if (rerun && again.length > 0 && again.length <= 8) {
    console.error(`[test] ${name}: re-running ${again.length} spec file(s) that failed or did not finish, in a new jest process:`);
    for (const f of again) console.error(`[test]   ${path.relative(ROOT, f)}`);
    if (owned.single) await restartSingleIfDead();
    const second = path.join(RESULTS, `${name}-rerun.jsonl`);
    fs.rmSync(second, { force: true });
    status = await runJestOnce(`${name}-rerun`, project, extra, second, again);
    for (const [f, r] of readProgress(second)) {
      results.set(f, r);
      reruns.push(`${path.relative(ROOT, f)}: ${r.failed > 0 ? 'failed again' : 'passed on re-run'}`);
    }
  }
  timings.push(`${name} ${Math.round((Date.now() - started) / 1000)} s`);
  const failedBefore = totals.failed;
  for (const f of files) {
    const r = results.get(f);
    if (!r) {
      totals.failed += 1; // never finished
      continue;
    }
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
  }
  if (status !== 0 && totals.failed === failedBefore) totals.failed += 1;
  return totals.failed === failedBefore ? 0 : status || 1;
}

/** An npm script that checks the sources (lint, format): a failure counts as one failed test, the tests still run. */
function runCheck(script) {
  const started = Date.now();
  const status = run('npm', ['run', '--silent', script]);
  timings.push(`${script} ${Math.round((Date.now() - started) / 1000)} s`);
  if (status !== 0) {
    totals.failed += 1;
    console.error(`[test] ${script} failed`);
  }
  return status;
}

// The signal handler and main's finally may both get here; the second waits for the first's stop to end.
const stopping = {};
async function stopOwn(mode) {
  if (owned[mode]) {
    owned[mode] = false;
    stopping[mode] = stopBroker(mode);
  }
  await stopping[mode];
}

async function stopOwnRegistry() {
  if (ownRegistry) {
    ownRegistry = false;
    stopping.registry = stopSchemaRegistry();
  }
  await stopping.registry;
}

const stopAll = () =>
  stopOwnRegistry()
    .then(() => stopOwn('single'))
    .then(() => stopOwn('cluster'));

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

/** Starts the single broker again when its JVM died (a re-run against a dead broker would only time out). */
async function restartSingleIfDead() {
  const pids = (process.env.KAFKA_EMBEDDED_PIDS ?? '').split(',').filter(Boolean).map(Number);
  const alive = pids.every((pid) => fs.existsSync(`/proc/${pid}`));
  if (alive) return;
  console.error('[test] the single broker is gone; starting it again for the re-run');
  await stopOwn('single');
  delete process.env.KAFKA_BOOTSTRAP_SERVERS;
  await startSingleBroker();
}

async function startSingleBroker() {
  if (process.env.KAFKA_BOOTSTRAP_SERVERS) return;
  const broker = await startBroker('single', 'test');
  owned.single = !broker.alreadyRunning;
  process.env.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrapServers;
  process.env.KAFKA_SASL_BOOTSTRAP_SERVERS = broker.saslBootstrapServers;
  process.env.KAFKA_OAUTH_BOOTSTRAP_SERVERS = broker.oauthBootstrapServers;
  process.env.KAFKA_SSL_BOOTSTRAP_SERVERS = broker.sslBootstrapServers;
  process.env.KAFKA_SASL_SSL_BOOTSTRAP_SERVERS = broker.saslSslBootstrapServers;
  process.env.KAFKA_MTLS_BOOTSTRAP_SERVERS = broker.mtlsBootstrapServers;
  process.env.KAFKA_TLS_CA_LOCATION = broker.tls.caLocation;
  process.env.KAFKA_TLS_CLIENT_CERT_LOCATION = broker.tls.clientCertLocation;
  process.env.KAFKA_TLS_CLIENT_KEY_LOCATION = broker.tls.clientKeyLocation;
  process.env.KAFKA_EMBEDDED_PIDS = broker.pids.join(',');
}

/** The cluster-* fault specs kill and hang its nodes, so it is always the embedded one (its pids are needed). */
async function runClusterFaults() {
  if (listTests('integration', ignoring(PHASES.cluster)).length === 0) return 0;
  // The single broker and the registry are done with: their CPU and memory go to the three nodes.
  await stopOwnRegistry();
  await stopOwn('single');
  const started = Date.now();
  const cluster = await startBroker('cluster', 'test');
  owned.cluster = !cluster.alreadyRunning;
  timings.push(`cluster start ${Math.round((Date.now() - started) / 1000)} s`);
  process.env.KAFKA_CLUSTER_BOOTSTRAP_SERVERS = cluster.bootstrapServers;
  try {
    return await runJest('faults-cluster', 'integration', ['--runInBand', '--forceExit', ...ignoring(PHASES.cluster)]);
  } finally {
    await stopOwn('cluster');
  }
}

async function runIntegration() {
  await startSingleBroker();
  let status = 0;
  if (!faultsOnly) {
    await startOwnRegistry();
    console.error(`[test] integration tests against ${process.env.KAFKA_BOOTSTRAP_SERVERS}`);
    status = await runJest('integration', 'integration', ['--runInBand', '--forceExit', ...ignoring(PHASES.integration)]);
  }
  console.error(`[test] fault suite against ${process.env.KAFKA_BOOTSTRAP_SERVERS}, then the 3-node cluster`);
  status = (await runJest('faults', 'integration', ['--runInBand', '--forceExit', ...ignoring(PHASES.faults)])) || status;
  return (await runClusterFaults()) || status;
}

function summary() {
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
  if (timings.length) console.log(`\n[test] ${timings.join(', ')}`);
  if (reruns.length) console.log(`[test] re-run once after a failure or a hang: ${reruns.join('; ')}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    for (const child of running) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await stopAll();
    process.exit(130);
  });
}

async function main() {
  fs.mkdirSync(RESULTS, { recursive: true });
  ensureSetup({ forTests: true });
  let status = 0;
  if (!faultsOnly) {
    if (run('npm', ['run', '--silent', 'build']) !== 0 || run('npm', ['run', '--silent', 'typecheck']) !== 0) {
      totals.failed += 1;
      console.error('build failed');
      return 1;
    }
    const lint = runCheck('lint');
    const format = runCheck('format:check');
    // Unit tests use no broker and no clock races: a failure there is never re-run.
    status = (await runJest('unit', 'unit', [], { rerun: false })) || lint || format;
  }
  try {
    status = (await runIntegration()) || status;
  } catch (e) {
    console.error(`[test] ${e.message}`);
    totals.failed += 1;
    status = 1;
  } finally {
    await stopAll();
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
    await stopAll();
    totals.failed += 1;
    summary();
    process.exit(1);
  },
);
