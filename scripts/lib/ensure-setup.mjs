// What `npm test` and `npm start` install before anything else runs, so that a fresh clone needs no other step:
// the Debian packages the native build and the embedded broker need (where this user may install them), then
// `npm ci` when node_modules is missing or does not match package-lock.json, then a rebuild of node-rdkafka when
// it was compiled before zstd's headers were there. Set NEST_RDKAFKA_SKIP_SETUP=1 to skip all of it.
// Only Node built-ins here: this runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);

/**
 * Debian packages and what is lost without each. zstd and SASL are compiled into librdkafka only when their
 * headers are there when node-rdkafka builds; without them it still builds, silently without those features.
 */
const DEBIAN_PACKAGES = [
  { pkg: 'libzstd-dev', why: 'zstd compression in librdkafka' },
  { pkg: 'libsasl2-dev', why: 'SASL GSSAPI (Kerberos) in librdkafka' },
  { pkg: 'libssl-dev', why: 'TLS and SASL SCRAM in librdkafka' },
  { pkg: 'g++', why: 'compiling node-rdkafka' },
  { pkg: 'make', why: 'compiling node-rdkafka' },
  { pkg: 'python3', why: 'node-gyp' },
];
/** Independent peers the interop tests run (Confluent's Python client with its serdes' libraries). */
const DEBIAN_TEST_PACKAGES = [
  { pkg: 'python3-confluent-kafka', why: "the interop tests with Confluent's Python client" },
  { pkg: 'python3-avro', why: "the Avro interop tests with Confluent's Python client" },
  { pkg: 'python3-requests', why: "Confluent's Python Schema Registry client" },
  { pkg: 'python3-jsonschema', why: "the JSON Schema interop tests with Confluent's Python client" },
  { pkg: 'python3-protobuf', why: "the Protobuf interop tests with Confluent's Python client" },
];
/** Commands the embedded broker needs, and the package that brings each. */
const DEBIAN_COMMANDS = [
  { cmd: 'java', pkg: 'openjdk-17-jdk-headless', why: 'the embedded Kafka broker' },
  { cmd: 'mvn', pkg: 'maven', why: 'fetching the embedded broker from Maven Central' },
];

function quiet(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { stdio: 'ignore', ...opts }).status === 0;
}

function hasCommand(cmd) {
  return quiet('sh', ['-c', `command -v ${cmd}`]);
}

function missingDebianPackages(forTests) {
  const packages = forTests ? [...DEBIAN_PACKAGES, ...DEBIAN_TEST_PACKAGES] : DEBIAN_PACKAGES;
  const missing = packages.filter((p) => !quiet('dpkg', ['-s', p.pkg]));
  return missing.concat(DEBIAN_COMMANDS.filter((c) => !hasCommand(c.cmd)));
}

/** Runs as root directly, else through passwordless sudo; null when neither is possible. */
function privileged() {
  if (process.getuid?.() === 0) return [];
  return quiet('sudo', ['-n', 'true']) ? ['sudo', '-n'] : null;
}

function installSystemPackages(forTests) {
  if (!hasCommand('dpkg') || !hasCommand('apt-get')) return; // not Debian: the README lists what to install
  const missing = missingDebianPackages(forTests);
  if (missing.length === 0) return;
  const list = missing.map((m) => m.pkg);
  const prefix = privileged();
  if (!prefix) {
    log(`missing Debian packages: ${list.join(' ')}; this user cannot install them. Without them:`);
    for (const m of missing) log(`  ${m.pkg}: no ${m.why}`);
    log(`install them with: sudo apt-get install -y ${list.join(' ')}`);
    return;
  }
  log(`installing ${list.join(' ')} (${missing.map((m) => m.why).join('; ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    spawnSync(prefix[0] ?? 'apt-get', prefix.length ? [...prefix.slice(1), 'apt-get', ...args] : args, { stdio: 'inherit', env });
  apt(['update', '-q']);
  const r = apt(['install', '-y', '-q', '--no-install-recommends', ...list]);
  if (r.status !== 0) log(`apt-get install failed (exit ${r.status}); continuing without: ${list.join(' ')}`);
}

/** name@version of every package a lockfile lists (the root project itself left out). */
function lockedPackages(file) {
  const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out = new Map();
  for (const [where, p] of Object.entries(lock.packages ?? {})) {
    if (where !== '' && !p.link) out.set(where, { version: p.version, optional: Boolean(p.optional || p.devOptional) });
  }
  return out;
}

/**
 * Why node_modules does not match package-lock.json, or null when it does. npm keeps what it installed in
 * node_modules/.package-lock.json; optional packages for other platforms are legitimately absent from it.
 */
export function nodeModulesStale() {
  const hidden = path.join(ROOT, 'node_modules/.package-lock.json');
  if (!fs.existsSync(hidden)) return 'node_modules is missing';
  const wanted = lockedPackages(path.join(ROOT, 'package-lock.json'));
  const installed = lockedPackages(hidden);
  for (const [where, p] of wanted) {
    const got = installed.get(where);
    if (!got && !p.optional) return `${where} is not installed`;
    if (got && got.version !== p.version) return `${where} is ${got.version}, package-lock.json wants ${p.version}`;
  }
  for (const where of installed.keys()) if (!wanted.has(where)) return `${where} is installed but not in package-lock.json`;
  return null;
}

function npmEnv() {
  // node-gyp cannot download Node's headers here: point it at the local ones when the system has them.
  const env = { ...process.env };
  if (!env.npm_config_nodedir && fs.existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  return env;
}

function npm(args) {
  const started = Date.now();
  const r = spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit', env: npmEnv() });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed with exit code ${r.status}`);
  log(`npm ${args[0]} took ${Math.round((Date.now() - started) / 1000)} s`);
}

/** librdkafka's compiled-in features, or null when the addon does not load. */
function nativeFeatures() {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('node-rdkafka').features.join(','))"], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.split(',') : null;
}

function rebuildNativeIfIncomplete() {
  const features = nativeFeatures();
  if (features === null) {
    log('node-rdkafka does not load; rebuilding it');
    return npm(['rebuild', 'node-rdkafka']);
  }
  // Compiled before libzstd-dev was installed: the build silently left zstd out. Rebuild now that it is here.
  if (!features.includes('zstd') && quiet('dpkg', ['-s', 'libzstd-dev'])) {
    log('node-rdkafka was built without zstd although libzstd-dev is installed now; rebuilding it');
    npm(['rebuild', 'node-rdkafka']);
  }
}

/**
 * Installs what is missing (see the file comment). Throws only when npm itself fails.
 * @param {{ forTests?: boolean }} [options] forTests: also the test peers (Confluent's Python client)
 */
export function ensureSetup({ forTests = false } = {}) {
  if (process.env.NEST_RDKAFKA_SKIP_SETUP === '1') return;
  installSystemPackages(forTests);
  const stale = nodeModulesStale();
  if (stale) {
    log(`${stale}: running npm ci`);
    npm(['ci', '--no-audit', '--no-fund']);
  }
  rebuildNativeIfIncomplete();
}
