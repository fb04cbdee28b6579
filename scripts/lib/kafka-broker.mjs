// Embedded Apache Kafka (KRaft) for tests and the sample: jars from Maven Central (infra/kafka/pom.xml),
// one combined broker+controller per node on 127.0.0.1, a fresh cluster on every start.
// Used by scripts/kafka.mjs (npm run kafka:start|stop), scripts/run-tests.mjs and scripts/start-sample.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_CERT_CN, generateBrokerTls, tlsListenerProperties } from './broker-tls.mjs';
import { portInUse, processAlive, processMatches, sleep, waitForExit } from './process-utils.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INFRA = path.join(ROOT, 'infra/kafka');
const CACHE = path.join(ROOT, '.cache/kafka');
const LIBS = path.join(CACHE, 'libs');

/** Defaults chosen away from the services this machine already runs (5432, 3306, 6379, 5672, 1883, 4222…). */
export const BROKER_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: Number(process.env.KAFKA_PORT ?? 39092),
  controllerPort: Number(process.env.KAFKA_CONTROLLER_PORT ?? 39093),
  saslPort: Number(process.env.KAFKA_SASL_PORT ?? 39094),
  // Next to the SASL port by default, so every KAFKA_SASL_PORT choice gets its own OAUTHBEARER port.
  oauthPort: Number(process.env.KAFKA_OAUTH_PORT ?? Number(process.env.KAFKA_SASL_PORT ?? 39094) + 1),
  // TLS listeners: SSL, SASL_SSL (SCRAM) and MTLS (client certificate required), after the OAUTHBEARER port.
  sslPort: Number(process.env.KAFKA_SSL_PORT ?? Number(process.env.KAFKA_PORT ?? 39092) + 4),
  saslSslPort: Number(process.env.KAFKA_SASL_SSL_PORT ?? Number(process.env.KAFKA_PORT ?? 39092) + 5),
  mtlsPort: Number(process.env.KAFKA_MTLS_PORT ?? Number(process.env.KAFKA_PORT ?? 39092) + 6),
  clusterBasePort: Number(process.env.KAFKA_CLUSTER_BASE_PORT ?? 39190),
  heapOpts: process.env.KAFKA_HEAP_OPTS ?? '-Xms256m -Xmx768m',
  startTimeoutMs: Number(process.env.KAFKA_START_TIMEOUT_MS ?? 90_000),
  stopTimeoutMs: 20_000,
  /** SCRAM users written at format time, for the SASL_PLAINTEXT listener. */
  scramUsers: [
    { name: 'admin', password: 'admin-secret' },
    { name: 'alice', password: 'alice-secret' },
  ],
});

const log = (msg) => process.stderr.write(`[kafka] ${msg}\n`);

/** Copies the broker jars into .cache/kafka/libs once; later calls return at once. */
export function ensureJars() {
  const marker = path.join(LIBS, '.complete');
  const pom = fs.readFileSync(path.join(INFRA, 'pom.xml'), 'utf8');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === pom) return LIBS;
  log('fetching Apache Kafka jars from Maven Central (first run only)…');
  fs.rmSync(LIBS, { recursive: true, force: true });
  const r = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      path.join(INFRA, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${LIBS}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.error) throw new Error(`could not run mvn (is Maven installed?): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`mvn dependency:copy-dependencies failed with exit code ${r.status}`);
  fs.writeFileSync(marker, pom);
  return LIBS;
}

/** 16 random bytes in base64url, as `kafka-storage.sh random-uuid`; never starting with '-' (read as an option). */
function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function nodePorts(mode, index) {
  if (mode === 'single') {
    return {
      port: BROKER_DEFAULTS.port,
      controllerPort: BROKER_DEFAULTS.controllerPort,
      saslPort: BROKER_DEFAULTS.saslPort,
      oauthPort: BROKER_DEFAULTS.oauthPort,
      sslPort: BROKER_DEFAULTS.sslPort,
      saslSslPort: BROKER_DEFAULTS.saslSslPort,
      mtlsPort: BROKER_DEFAULTS.mtlsPort,
    };
  }
  const base = BROKER_DEFAULTS.clusterBasePort + index * 10;
  return {
    port: base + 2,
    controllerPort: base + 3,
    saslPort: base + 4,
    oauthPort: base + 5,
    sslPort: base + 6,
    saslSslPort: base + 7,
    mtlsPort: base + 8,
  };
}

/**
 * OAUTHBEARER on a second client-only SASL_PLAINTEXT listener, validated by Kafka's unsecured-JWS handler
 * (tokens `base64url({"alg":"none"}).base64url({sub, iat, exp}).`, no signature): enough to test token
 * provisioning and refresh without an identity provider. Test-only; never a production setting.
 */
function oauthListenerProperties() {
  const n = 'listener.name.oauth';
  return [
    `${n}.sasl.enabled.mechanisms=OAUTHBEARER`,
    `${n}.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;`,
    `${n}.oauthbearer.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler`,
    // Re-authentication on (KIP-368): a session ends when its token expires unless the client re-authenticates
    // with a fresh one, so a refresh test sees expired tokens fail instead of passing unchecked.
    `${n}.oauthbearer.connections.max.reauth.ms=60000`,
  ];
}

/** The client listeners of a node: name, protocol and port. CONTROLLER is apart (not advertised). */
function clientListeners(ports) {
  return [
    ['PLAINTEXT', 'PLAINTEXT', ports.port],
    ['SASL_PLAINTEXT', 'SASL_PLAINTEXT', ports.saslPort],
    ['OAUTH', 'SASL_PLAINTEXT', ports.oauthPort],
    ['SSL', 'SSL', ports.sslPort],
    ['SASL_SSL', 'SASL_SSL', ports.saslSslPort],
    ['MTLS', 'SSL', ports.mtlsPort],
  ];
}

function serverProperties({ nodeId, ports, voters, dataDir, nodes, tls }) {
  const h = BROKER_DEFAULTS.host;
  const listeners = clientListeners(ports);
  const addresses = listeners.map(([name, , port]) => `${name}://${h}:${port}`).join(',');
  const rf = nodes === 1 ? 1 : 3;
  const isr = nodes === 1 ? 1 : 2;
  return [
    'process.roles=broker,controller',
    `node.id=${nodeId}`,
    `controller.quorum.voters=${voters}`,
    `listeners=${addresses},CONTROLLER://${h}:${ports.controllerPort}`,
    `advertised.listeners=${addresses}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    `listener.security.protocol.map=CONTROLLER:PLAINTEXT,${listeners.map(([name, protocol]) => `${name}:${protocol}`).join(',')}`,
    // SCRAM on a client-only listener (for SASL and admin SCRAM tests); no broker connects over it.
    'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512',
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ...oauthListenerProperties(),
    ...tlsListenerProperties(tls),
    // An authorizer so ACL operations work; everyone is allowed where no ACL names a resource.
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    // ANONYMOUS covers PLAINTEXT and SSL, admin the SCRAM listeners, the CN the test client certificate on MTLS.
    `super.users=User:ANONYMOUS;User:admin;User:CN=${CLIENT_CERT_CN}`,
    'allow.everyone.if.no.acl.found=true',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    `auto.create.topics.enable=${process.env.KAFKA_AUTO_CREATE_TOPICS ?? 'true'}`,
    `default.replication.factor=${rf}`,
    `min.insync.replicas=${isr}`,
    `offsets.topic.replication.factor=${rf}`,
    'offsets.topic.num.partitions=3',
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${isr}`,
    'transaction.state.log.num.partitions=3',
    `share.coordinator.state.topic.replication.factor=${rf}`,
    `share.coordinator.state.topic.min.isr=${isr}`,
    // Fast groups for tests: no initial delay, short KIP-848 session and heartbeat.
    'group.initial.rebalance.delay.ms=0',
    'group.consumer.min.session.timeout.ms=6000',
    'group.consumer.session.timeout.ms=10000',
    'group.consumer.min.heartbeat.interval.ms=500',
    'group.consumer.heartbeat.interval.ms=1000',
    'broker.session.timeout.ms=4000',
    'broker.heartbeat.interval.ms=1000',
    // Client quotas are read from here, so a throttle test can set one at runtime.
    'log.retention.check.interval.ms=60000',
    '',
  ].join('\n');
}

function runDir(mode) {
  return path.join(CACHE, 'run', mode);
}

function readState(mode) {
  try {
    return JSON.parse(fs.readFileSync(path.join(runDir(mode), 'state.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when pid is alive and is a kafka.Kafka JVM. */
const isOurBroker = (pid) => processMatches(pid, 'kafka.Kafka');

/** Stops the brokers of one mode: SIGTERM (controlled shutdown), SIGKILL after a timeout. */
/**
 * Lets every node of a running embedded broker run again (SIGCONT). A fault spec stops a node (SIGSTOP) and
 * resumes it itself, but a test process killed in between cannot; the test runner calls this after each phase.
 */
export function resumeBroker(mode = 'single') {
  for (const pid of (readState(mode)?.pids ?? []).filter(isOurBroker)) process.kill(pid, 'SIGCONT');
}

export async function stopBroker(mode = 'single') {
  const state = readState(mode);
  const pids = state?.pids ?? [];
  const live = pids.filter(isOurBroker);
  // SIGCONT first: a fault test may have left a node stopped (SIGSTOP), and a stopped JVM handles no SIGTERM.
  for (const pid of live) {
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGTERM');
  }
  for (const pid of live) {
    if (!(await waitForExit(() => isOurBroker(pid), BROKER_DEFAULTS.stopTimeoutMs))) {
      log(`broker pid ${pid} ignored SIGTERM; killing it`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await waitForExit(() => isOurBroker(pid), 5000);
    }
  }
  fs.rmSync(runDir(mode), { recursive: true, force: true });
  if (live.length) log(`stopped ${mode} broker (${live.length} JVM${live.length > 1 ? 's' : ''})`);
  return live.length;
}

function formatStorage(libs, clusterId, propsFile) {
  const args = [
    '-Xmx256m',
    `-Dlog4j2.configurationFile=${path.join(INFRA, 'log4j2.properties')}`,
    '-cp',
    `${libs}/*`,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    propsFile,
  ];
  for (const u of BROKER_DEFAULTS.scramUsers) {
    for (const mech of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) args.push('--add-scram', `${mech}=[name=${u.name},password=${u.password}]`);
  }
  const r = spawnSync('java', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`could not run java (is a JDK >= 17 installed?): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`kafka StorageTool format failed (${r.status}): ${r.stderr || r.stdout}`);
}

function spawnNode(libs, dir, propsFile, index) {
  const logFile = path.join(dir, `broker-${index}.log`);
  const out = fs.openSync(logFile, 'a');
  const args = [
    ...BROKER_DEFAULTS.heapOpts.split(/\s+/).filter(Boolean),
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${path.join(INFRA, 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${dir}`,
    '-cp',
    `${libs}/*`,
    'kafka.Kafka',
    propsFile,
  ];
  // Detached with its own process group so a Ctrl-C in the terminal reaches our scripts, which stop it in order.
  const child = spawn('java', args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  fs.closeSync(out);
  return { pid: child.pid, logFile };
}

async function waitReady(bootstrap, pids, logFiles) {
  const { probeMetadata } = await import('./metadata-probe.mjs');
  const end = Date.now() + BROKER_DEFAULTS.startTimeoutMs;
  let lastError;
  while (Date.now() < end) {
    const dead = pids.findIndex((p) => !isOurBroker(p));
    if (dead >= 0) {
      const tail = fs.readFileSync(logFiles[dead], 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`broker JVM ${pids[dead]} exited during start-up; last log lines:\n${tail}`);
    }
    try {
      const brokers = await probeMetadata(bootstrap, 3000);
      if (brokers >= pids.length) return;
      lastError = new Error(`metadata lists ${brokers} of ${pids.length} brokers`);
    } catch (e) {
      lastError = e;
    }
    await sleep(500);
  }
  throw new Error(`broker did not answer a metadata request within ${BROKER_DEFAULTS.startTimeoutMs} ms: ${lastError?.message}`);
}

/**
 * A broker is reused when `npm run kafka:start` started it (it runs until kafka:stop) or the process that
 * started it still runs; one whose owner died (a killed test run) is stale.
 */
function reusable(state) {
  if (!state.pids.every(isOurBroker)) return false;
  return state.owner?.kind === 'cli' || (state.owner?.pid !== undefined && processAlive(state.owner.pid));
}

/**
 * Starts a fresh cluster: `mode` 'single' (one node) or 'cluster' (three nodes, one cluster id).
 * A broker of the same mode left by a killed run is stopped first and its data wiped.
 * @param {'single'|'cluster'} mode
 * @param {'cli'|'test'|'sample'} ownerKind who starts it; only a 'cli' broker outlives its starter.
 * @returns {Promise<{bootstrapServers: string, saslBootstrapServers: string, oauthBootstrapServers: string,
 *   sslBootstrapServers: string, saslSslBootstrapServers: string, mtlsBootstrapServers: string,
 *   tls: {caLocation: string, clientCertLocation: string, clientKeyLocation: string},
 *   pids: number[], alreadyRunning: boolean}>}
 */
export async function startBroker(mode = 'single', ownerKind = 'cli') {
  const existing = readState(mode);
  if (existing && reusable(existing)) {
    return { ...existing, alreadyRunning: true };
  }
  if (existing) {
    log('found a stale broker state from an earlier run; cleaning up');
    await stopBroker(mode);
  }
  const libs = ensureJars();
  const nodes = mode === 'cluster' ? 3 : 1;
  const ports = Array.from({ length: nodes }, (_, i) => nodePorts(mode, i));
  for (const p of ports.flatMap((x) => Object.values(x))) {
    if (await portInUse(p, BROKER_DEFAULTS.host))
      throw new Error(
        `port ${p} on ${BROKER_DEFAULTS.host} is already in use; set KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_SASL_PORT / KAFKA_OAUTH_PORT / KAFKA_SSL_PORT / KAFKA_SASL_SSL_PORT / KAFKA_MTLS_PORT (or KAFKA_CLUSTER_BASE_PORT) to free ports`,
      );
  }
  const dir = runDir(mode);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const clusterId = newClusterId();
  const voters = ports.map((p, i) => `${i + 1}@${BROKER_DEFAULTS.host}:${p.controllerPort}`).join(',');
  const started = Date.now();
  // One CA and one broker certificate for every node: all listen on the same host.
  const tls = generateBrokerTls(path.join(dir, 'tls'));
  const propsFiles = ports.map((p, i) => {
    const file = path.join(dir, `server-${i + 1}.properties`);
    fs.writeFileSync(file, serverProperties({ nodeId: i + 1, ports: p, voters, dataDir: path.join(dir, `data-${i + 1}`), nodes, tls }));
    formatStorage(libs, clusterId, file);
    return file;
  });
  const spawned = propsFiles.map((f, i) => spawnNode(libs, dir, f, i + 1));
  const state = {
    mode,
    owner: { kind: ownerKind, pid: process.pid },
    clusterId,
    pids: spawned.map((s) => s.pid),
    bootstrapServers: ports.map((p) => `${BROKER_DEFAULTS.host}:${p.port}`).join(','),
    saslBootstrapServers: ports.map((p) => `${BROKER_DEFAULTS.host}:${p.saslPort}`).join(','),
    oauthBootstrapServers: ports.map((p) => `${BROKER_DEFAULTS.host}:${p.oauthPort}`).join(','),
    sslBootstrapServers: ports.map((p) => `${BROKER_DEFAULTS.host}:${p.sslPort}`).join(','),
    saslSslBootstrapServers: ports.map((p) => `${BROKER_DEFAULTS.host}:${p.saslSslPort}`).join(','),
    mtlsBootstrapServers: ports.map((p) => `${BROKER_DEFAULTS.host}:${p.mtlsPort}`).join(','),
    tls: { caLocation: tls.caLocation, clientCertLocation: tls.clientCertLocation, clientKeyLocation: tls.clientKeyLocation },
    scramUsers: BROKER_DEFAULTS.scramUsers,
    logFiles: spawned.map((s) => s.logFile),
  };
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state, null, 2));
  try {
    await waitReady(state.bootstrapServers, state.pids, state.logFiles);
  } catch (e) {
    await stopBroker(mode);
    throw e;
  }
  log(`${mode} broker up at ${state.bootstrapServers} in ${Date.now() - started} ms (pids ${state.pids.join(', ')})`);
  return { ...state, alreadyRunning: false };
}

/**
 * Starts node `nodeId` (1-based) of a running cluster again, on its existing data, after a fault test killed
 * it; resolves once the cluster's metadata lists every node again.
 * @returns the new pid
 */
export async function restartNode(mode, nodeId) {
  const state = readState(mode);
  const index = nodeId - 1;
  if (!state || !(index in state.pids)) throw new Error(`no ${mode} broker with node ${nodeId} is running`);
  if (isOurBroker(state.pids[index])) throw new Error(`node ${nodeId} (pid ${state.pids[index]}) is still running`);
  const dir = runDir(mode);
  const spawned = spawnNode(ensureJars(), dir, path.join(dir, `server-${nodeId}.properties`), nodeId);
  state.pids[index] = spawned.pid;
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state, null, 2));
  const started = Date.now();
  await waitReady(state.bootstrapServers, state.pids, state.logFiles);
  log(`${mode} node ${nodeId} up again in ${Date.now() - started} ms (pid ${spawned.pid})`);
  return spawned.pid;
}

/** The state of a running broker of that mode, or undefined. */
export function brokerStatus(mode = 'single') {
  const s = readState(mode);
  if (!s) return undefined;
  return { ...s, alive: s.pids.map(isOurBroker) };
}
