import { ConfigException } from '../../errors/index.js';
import { SchemaRegistryClient, type SchemaRegistryClientConfig, type SchemaRegistryClientInterface } from '../../schema-registry/index.js';

const PREFIX = 'schema.registry.';

/**
 * The `schema.registry.*` keys confluent_kafka.avro reads from a client configuration
 * (`schema.registry.url`, `schema.registry.basic.auth.user.info`, `schema.registry.bearer.auth.token`,
 * `schema.registry.requestTimeoutMs`). They are taken out before the rest reaches librdkafka.
 * @publicApi
 */
export interface SchemaRegistryPrefixedConfig {
  'schema.registry.url'?: string;
  'schema.registry.basic.auth.user.info'?: string;
  'schema.registry.basic.auth.credentials.source'?: 'USER_INFO' | 'URL';
  'schema.registry.bearer.auth.token'?: string;
  'schema.registry.requestTimeoutMs'?: number;
}

/**
 * Splits a client configuration into the librdkafka part and a Schema Registry client: the one given, or
 * one built from the `schema.registry.*` keys.
 * @throws ConfigException when neither a client nor `schema.registry.url` is given, or both are
 * @internal
 */
export function splitSchemaRegistryConfig<C extends object>(
  config: C & SchemaRegistryPrefixedConfig,
  given: SchemaRegistryClientInterface | undefined,
): { clientConfig: C; registry: SchemaRegistryClientInterface } {
  const clientConfig: Record<string, unknown> = {};
  const registryConfig: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config ?? {})) {
    if (k.startsWith(PREFIX)) registryConfig[k.slice(PREFIX.length)] = v;
    else clientConfig[k] = v;
  }
  const hasUrl = registryConfig.url !== undefined;
  if (given && hasUrl)
    throw new ConfigException('schema.registry.url', 'give either schema.registry.url or a schemaRegistry client, not both');
  if (!given && !hasUrl) throw new ConfigException('schema.registry.url', 'required (or pass a schemaRegistry client)');
  const registry = given ?? new SchemaRegistryClient(registryConfig as unknown as SchemaRegistryClientConfig);
  return { clientConfig: clientConfig as C, registry };
}
