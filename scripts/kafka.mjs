#!/usr/bin/env node
// npm run kafka:start | kafka:stop | kafka:status [-- --cluster]
// Starts or stops the embedded broker (or, with --cluster, three nodes on one host for failover tests).
// `node scripts/kafka.mjs restart-node N --cluster` starts node N again after a fault test killed it.
import { brokerStatus, restartNode, startBroker, stopBroker } from './lib/kafka-broker.mjs';
import { runServiceCli } from './lib/service-cli.mjs';

const [command = 'status', ...args] = process.argv.slice(2);
const mode = args.includes('--cluster') ? 'cluster' : 'single';

/** The secured listeners and the TLS files, as the env lines the integration tests read (scripts/run-tests.mjs). */
function printSecuredListeners(s) {
  const env = {
    KAFKA_SASL_BOOTSTRAP_SERVERS: s.saslBootstrapServers,
    KAFKA_OAUTH_BOOTSTRAP_SERVERS: s.oauthBootstrapServers,
    KAFKA_SSL_BOOTSTRAP_SERVERS: s.sslBootstrapServers,
    KAFKA_SASL_SSL_BOOTSTRAP_SERVERS: s.saslSslBootstrapServers,
    KAFKA_MTLS_BOOTSTRAP_SERVERS: s.mtlsBootstrapServers,
    KAFKA_TLS_CA_LOCATION: s.tls?.caLocation,
    KAFKA_TLS_CLIENT_CERT_LOCATION: s.tls?.clientCertLocation,
    KAFKA_TLS_CLIENT_KEY_LOCATION: s.tls?.clientKeyLocation,
  };
  for (const [name, value] of Object.entries(env)) if (value) console.log(`export ${name}=${value}`);
}

runServiceCli(command, {
  envVar: 'KAFKA_BOOTSTRAP_SERVERS',
  start: async () => {
    const s = await startBroker(mode);
    printSecuredListeners(s);
    return { alreadyRunning: s.alreadyRunning, address: s.bootstrapServers };
  },
  stop: async () => {
    const n = await stopBroker(mode);
    return n ? `stopped ${n} broker JVM(s)` : 'no embedded broker was running';
  },
  status: () => brokerStatus(mode),
  extra: {
    'restart-node': async () => {
      const nodeId = Number(args.find((a) => /^\d+$/.test(a)));
      if (!nodeId) throw new Error('restart-node needs a node id (1, 2 or 3)');
      return `node ${nodeId} started again: pid ${await restartNode(mode, nodeId)}`;
    },
  },
});
