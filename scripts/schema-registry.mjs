#!/usr/bin/env node
// node scripts/schema-registry.mjs start | stop | status
// Starts or stops the embedded Schema Registry (Apicurio, Confluent-compatible API) used by the Avro tests.
import { schemaRegistryStatus, startSchemaRegistry, stopSchemaRegistry } from './lib/schema-registry.mjs';

const [command = 'status'] = process.argv.slice(2);

async function main() {
  switch (command) {
    case 'start': {
      if (process.env.SCHEMA_REGISTRY_URL) {
        console.log(`SCHEMA_REGISTRY_URL is set (${process.env.SCHEMA_REGISTRY_URL}); nothing started`);
        return;
      }
      const s = await startSchemaRegistry('cli');
      console.log(`${s.alreadyRunning ? 'already running' : 'started'}: SCHEMA_REGISTRY_URL=${s.url}`);
      return;
    }
    case 'stop': {
      const n = await stopSchemaRegistry();
      console.log(n ? 'stopped the schema registry' : 'no embedded schema registry was running');
      return;
    }
    case 'status': {
      const s = schemaRegistryStatus();
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
