#!/usr/bin/env node
// npm run kafka:start | kafka:stop | kafka:status [-- --cluster]
// Starts or stops the embedded broker (or, with --cluster, three nodes on one host for failover tests).
import { brokerStatus, startBroker, stopBroker } from './lib/kafka-broker.mjs';

const [command = 'status', ...flags] = process.argv.slice(2);
const mode = flags.includes('--cluster') ? 'cluster' : 'single';

async function main() {
  switch (command) {
    case 'start': {
      if (process.env.KAFKA_BOOTSTRAP_SERVERS) {
        console.log(`KAFKA_BOOTSTRAP_SERVERS is set (${process.env.KAFKA_BOOTSTRAP_SERVERS}); nothing started`);
        return;
      }
      const s = await startBroker(mode);
      console.log(`${s.alreadyRunning ? 'already running' : 'started'}: KAFKA_BOOTSTRAP_SERVERS=${s.bootstrapServers}`);
      return;
    }
    case 'stop': {
      const n = await stopBroker(mode);
      console.log(n ? `stopped ${n} broker JVM(s)` : 'no embedded broker was running');
      return;
    }
    case 'status': {
      const s = brokerStatus(mode);
      console.log(s ? JSON.stringify(s, null, 2) : 'not running');
      return;
    }
    default:
      throw new Error(`unknown command "${command}" (start | stop | status)`);
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
