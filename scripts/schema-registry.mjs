#!/usr/bin/env node
// node scripts/schema-registry.mjs start | stop | status
// Starts or stops the embedded Schema Registry (Apicurio, Confluent-compatible API) used by the Avro tests.
import { schemaRegistryStatus, startSchemaRegistry, stopSchemaRegistry } from './lib/schema-registry.mjs';
import { runServiceCli } from './lib/service-cli.mjs';

const [command = 'status'] = process.argv.slice(2);

runServiceCli(command, {
  envVar: 'SCHEMA_REGISTRY_URL',
  start: async () => {
    const s = await startSchemaRegistry('cli');
    return { alreadyRunning: s.alreadyRunning, address: s.url };
  },
  stop: async () => ((await stopSchemaRegistry()) ? 'stopped the schema registry' : 'no embedded schema registry was running'),
  status: () => schemaRegistryStatus(),
});
