#!/usr/bin/env node
// npm run kafka:start | kafka:stop | kafka:status [-- --cluster]
// Starts or stops the embedded broker (or, with --cluster, three nodes on one host for failover tests).
import { brokerStatus, startBroker, stopBroker } from './lib/kafka-broker.mjs';
import { runServiceCli } from './lib/service-cli.mjs';

const [command = 'status', ...flags] = process.argv.slice(2);
const mode = flags.includes('--cluster') ? 'cluster' : 'single';

runServiceCli(command, {
  envVar: 'KAFKA_BOOTSTRAP_SERVERS',
  start: async () => {
    const s = await startBroker(mode);
    return { alreadyRunning: s.alreadyRunning, address: s.bootstrapServers };
  },
  stop: async () => {
    const n = await stopBroker(mode);
    return n ? `stopped ${n} broker JVM(s)` : 'no embedded broker was running';
  },
  status: () => brokerStatus(mode),
});
