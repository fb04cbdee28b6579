// Embedded Schema Registry for tests: Apicurio Registry (Quarkus fast-jar from Maven Central) serving the
// Confluent-compatible API at http://127.0.0.1:<port>/apis/ccompat/v7, in-memory storage, a fresh registry on
// every start. Used by scripts/run-tests.mjs and scripts/schema-registry.mjs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portInUse, processAlive, processMatches, sleep, waitForExit } from './process-utils.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = path.join(ROOT, '.cache/apicurio');
const RUN_DIR = path.join(CACHE, 'run');

/** Apicurio 3.3.x is compiled for Java 21 (class file 65): it needs a newer JVM than the broker's 17. */
export const REGISTRY_DEFAULTS = Object.freeze({
  version: '3.3.3',
  minJava: 21,
  host: '127.0.0.1',
  port: Number(process.env.SCHEMA_REGISTRY_PORT ?? 38081),
  // Quarkus' management interface (health, metrics) otherwise listens on 0.0.0.0:9000.
  managementPort: Number(process.env.SCHEMA_REGISTRY_MANAGEMENT_PORT ?? 38082),
  heapOpts: process.env.SCHEMA_REGISTRY_HEAP_OPTS ?? '-Xms64m -Xmx384m',
  startTimeoutMs: Number(process.env.SCHEMA_REGISTRY_START_TIMEOUT_MS ?? 90_000),
  stopTimeoutMs: 15_000,
  apiPath: '/apis/ccompat/v7',
});

const APP_DIR = path.join(CACHE, REGISTRY_DEFAULTS.version);
const log = (msg) => process.stderr.write(`[schema-registry] ${msg}\n`);

/** Fetches the Apicurio tarball with Maven and unpacks it into .cache/apicurio/<version> once. */
export function ensureApicurio() {
  const marker = path.join(APP_DIR, '.complete');
  if (fs.existsSync(marker)) return APP_DIR;
  const download = path.join(CACHE, 'download');
  const artifact = `io.apicurio:apicurio-registry-app:${REGISTRY_DEFAULTS.version}:tar.gz:all`;
  log(`fetching ${artifact} from Maven Central (first run only, about 160 MB)…`);
  fs.rmSync(download, { recursive: true, force: true });
  const r = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
      `-Dartifact=${artifact}`,
      `-DoutputDirectory=${download}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.error) throw new Error(`could not run mvn (is Maven installed?): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`mvn dependency:copy of ${artifact} failed with exit code ${r.status}`);
  const tarball = path.join(download, `apicurio-registry-app-${REGISTRY_DEFAULTS.version}-all.tar.gz`);
  fs.rmSync(APP_DIR, { recursive: true, force: true });
  fs.mkdirSync(APP_DIR, { recursive: true });
  // The archive has no top-level folder: quarkus-run.jar, app/, lib/, quarkus/ land in APP_DIR.
  const t = spawnSync('tar', ['-xzf', tarball, '-C', APP_DIR], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (t.status !== 0) throw new Error(`could not unpack ${tarball} (tar exit code ${t.status})`);
  if (!fs.existsSync(path.join(APP_DIR, 'quarkus-run.jar'))) throw new Error(`${tarball} has no quarkus-run.jar`);
  fs.rmSync(download, { recursive: true, force: true });
  fs.writeFileSync(marker, artifact);
  return APP_DIR;
}

function javaMajor(javaBin) {
  const r = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 0;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr || r.stdout);
  if (!m) return 0;
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}

/**
 * A java binary new enough for Apicurio: $SCHEMA_REGISTRY_JAVA_HOME, $JAVA_HOME, `java` on PATH, then the
 * JDKs under /usr/lib/jvm, newest first.
 */
export function findJava() {
  const homes = [process.env.SCHEMA_REGISTRY_JAVA_HOME, process.env.JAVA_HOME].filter(Boolean);
  const candidates = [...homes.map((h) => path.join(h, 'bin/java')), 'java'];
  try {
    const jvms = fs
      .readdirSync('/usr/lib/jvm')
      .map((d) => path.join('/usr/lib/jvm', d, 'bin/java'))
      .filter((j) => fs.existsSync(j));
    candidates.push(...jvms.sort().reverse());
  } catch {
    /* no /usr/lib/jvm */
  }
  const seen = [];
  for (const bin of candidates) {
    const major = javaMajor(bin);
    if (major >= REGISTRY_DEFAULTS.minJava) return bin;
    seen.push(`${bin} (${major || 'not runnable'})`);
  }
  throw new Error(
    `Apicurio Registry ${REGISTRY_DEFAULTS.version} needs Java >= ${REGISTRY_DEFAULTS.minJava}; found ${seen.join(', ')}. ` +
      'Install a JDK 21+ and point SCHEMA_REGISTRY_JAVA_HOME at it, or set SCHEMA_REGISTRY_URL to a running registry.',
  );
}

function readState() {
  try {
    return JSON.parse(fs.readFileSync(path.join(RUN_DIR, 'state.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when pid is alive and is our Apicurio JVM (pids are reused, so the command line is checked). */
const isOurRegistry = (pid) => processMatches(pid, 'quarkus-run.jar', CACHE);

/** Stops the registry: SIGTERM (Quarkus shuts down in well under a second), SIGKILL after a timeout. */
export async function stopSchemaRegistry() {
  const pid = readState()?.pid;
  const live = pid !== undefined && isOurRegistry(pid);
  if (live) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitForExit(() => isOurRegistry(pid), REGISTRY_DEFAULTS.stopTimeoutMs))) {
      log(`pid ${pid} ignored SIGTERM; killing it`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await waitForExit(() => isOurRegistry(pid), 5000);
    }
    log(`stopped (pid ${pid})`);
  }
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  return live ? 1 : 0;
}

/** Java system properties: bind to 127.0.0.1 only, allow deletions through the ccompat API, quiet logs. */
function registryProperties() {
  const d = REGISTRY_DEFAULTS;
  return [
    `-Dquarkus.http.host=${d.host}`,
    `-Dquarkus.http.port=${d.port}`,
    `-Dquarkus.management.host=${d.host}`,
    `-Dquarkus.management.port=${d.managementPort}`,
    '-Dapicurio.rest.deletion.artifact.enabled=true',
    '-Dapicurio.rest.deletion.artifact-version.enabled=true',
    '-Dapicurio.rest.deletion.group.enabled=true',
    '-Dquarkus.http.access-log.enabled=false',
    '-Dquarkus.otel.sdk.disabled=true',
  ];
}

async function waitReady(url, pid, logFile) {
  const end = Date.now() + REGISTRY_DEFAULTS.startTimeoutMs;
  let last = 'no answer yet';
  while (Date.now() < end) {
    if (!isOurRegistry(pid)) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`Apicurio JVM ${pid} exited during start-up; last log lines:\n${tail}`);
    }
    try {
      const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(250);
  }
  throw new Error(`Apicurio did not answer GET ${url}/subjects with 200 within ${REGISTRY_DEFAULTS.startTimeoutMs} ms (${last})`);
}

/**
 * Starts a fresh registry unless one started by a live owner (or by the CLI) is running.
 * @param {'cli'|'test'|'sample'} ownerKind who starts it; only a 'cli' registry outlives its starter.
 * @returns {Promise<{url: string, pid: number, alreadyRunning: boolean, startMs?: number}>}
 */
export async function startSchemaRegistry(ownerKind = 'cli') {
  const existing = readState();
  if (existing && isOurRegistry(existing.pid) && (existing.owner?.kind === 'cli' || processAlive(existing.owner?.pid))) {
    return { ...existing, alreadyRunning: true };
  }
  if (existing) {
    log('found a stale registry from an earlier run; cleaning up');
    await stopSchemaRegistry();
  }
  const appDir = ensureApicurio();
  const java = findJava();
  for (const p of [REGISTRY_DEFAULTS.port, REGISTRY_DEFAULTS.managementPort]) {
    if (await portInUse(p, REGISTRY_DEFAULTS.host))
      throw new Error(
        `port ${p} on ${REGISTRY_DEFAULTS.host} is already in use; set SCHEMA_REGISTRY_PORT / SCHEMA_REGISTRY_MANAGEMENT_PORT to free ports`,
      );
  }
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const logFile = path.join(RUN_DIR, 'apicurio.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    ...REGISTRY_DEFAULTS.heapOpts.split(/\s+/).filter(Boolean),
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    ...registryProperties(),
    '-jar',
    path.join(appDir, 'quarkus-run.jar'),
  ];
  const started = Date.now();
  // Detached in its own process group, as the broker: a Ctrl-C reaches our scripts, which stop it in order.
  const child = spawn(java, args, { cwd: RUN_DIR, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  fs.closeSync(out);
  const url = `http://${REGISTRY_DEFAULTS.host}:${REGISTRY_DEFAULTS.port}${REGISTRY_DEFAULTS.apiPath}`;
  const state = { owner: { kind: ownerKind, pid: process.pid }, pid: child.pid, url, java, logFile };
  fs.writeFileSync(path.join(RUN_DIR, 'state.json'), JSON.stringify(state, null, 2));
  try {
    await waitReady(url, child.pid, logFile);
  } catch (e) {
    await stopSchemaRegistry();
    throw e;
  }
  const startMs = Date.now() - started;
  log(`Apicurio ${REGISTRY_DEFAULTS.version} up at ${url} in ${startMs} ms (pid ${child.pid})`);
  return { ...state, alreadyRunning: false, startMs };
}

/** The state of a running registry, or undefined. */
export function schemaRegistryStatus() {
  const s = readState();
  return s ? { ...s, alive: isOurRegistry(s.pid) } : undefined;
}
