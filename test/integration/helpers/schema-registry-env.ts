/**
 * The Schema Registry the Avro integration tests talk to: scripts/run-tests.mjs starts the embedded Apicurio
 * and sets SCHEMA_REGISTRY_URL (its Confluent-compatible API, with the /apis/ccompat/v7 path), or the user
 * points it at a running registry.
 */
export function schemaRegistryUrl(): string {
  const url = process.env.SCHEMA_REGISTRY_URL;
  if (!url) {
    throw new Error('SCHEMA_REGISTRY_URL is not set: run integration tests through `npm test` or `node scripts/schema-registry.mjs start`');
  }
  return url;
}
