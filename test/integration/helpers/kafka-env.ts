import { randomUUID } from 'node:crypto';

/**
 * The broker the integration tests talk to: scripts/run-tests.mjs starts the embedded one and sets
 * KAFKA_BOOTSTRAP_SERVERS, or the user points it at an existing cluster.
 */
export function bootstrapServers(): string {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!servers) {
    throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set: run integration tests through `npm test` or `npm run kafka:start`');
  }
  return servers;
}

/** A topic name no other test (or earlier run) uses. */
export function uniqueTopic(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}
