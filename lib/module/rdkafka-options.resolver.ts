import type { LoggerService } from '@nestjs/common';
import type { AdminClientConfig } from '../admin/admin-options.interface.js';
import type { RdKafkaHealthOptions, RdKafkaModuleOptions, RdKafkaTopicOptions } from './interfaces/rdkafka-module-options.interface.js';
import { printsRedacted } from '../security/index.js';
import { RDKAFKA_MODULE_DEFAULTS } from './rdkafka.constants.js';

/** The module's options with every default applied, once. @internal */
export interface ResolvedRdKafkaOptions extends RdKafkaModuleOptions {
  readonly requestTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly topics: readonly RdKafkaTopicOptions[];
  readonly health: Required<RdKafkaHealthOptions>;
  readonly logger?: LoggerService;
}

/**
 * Merges `RDKAFKA_MODULE_DEFAULTS` under the user's options.
 * @throws TypeError when `client` is missing (forRootAsync factories are not type-checked at runtime)
 * @internal
 */
export function resolveModuleOptions(options: RdKafkaModuleOptions): ResolvedRdKafkaOptions {
  if (!options || typeof options.client !== 'object' || options.client === null) {
    throw new TypeError('RdKafkaModule: options.client (librdkafka properties, at least bootstrap.servers) is required');
  }
  return Object.freeze(
    printsRedacted({
      ...options,
      requestTimeoutMs: options.requestTimeoutMs ?? RDKAFKA_MODULE_DEFAULTS.requestTimeoutMs,
      shutdownTimeoutMs: options.shutdownTimeoutMs ?? RDKAFKA_MODULE_DEFAULTS.shutdownTimeoutMs,
      topics: Object.freeze([...(options.topics ?? [])]),
      health: Object.freeze({ ...RDKAFKA_MODULE_DEFAULTS.health, ...options.health }),
    }),
  );
}

/**
 * The admin service's config: the shared properties with plain values, and `oauth_cb` (the other callbacks and
 * the logger are for the librdkafka clients; the admin's backends take strings, numbers and booleans).
 * @internal
 */
export function adminConfigOf(options: RdKafkaModuleOptions): AdminClientConfig {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options.client)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  // The escape bag is librdkafka properties too (the native-offsets backend passes them on).
  if (options.client.unknownProperties) out.unknownProperties = options.client.unknownProperties;
  if (options.client.oauth_cb) out.oauth_cb = options.client.oauth_cb;
  // The keys are the shared config's own (typed as ClientConfig), less its callbacks and objects.
  return out as unknown as AdminClientConfig;
}
