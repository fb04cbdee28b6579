/**
 * Injection token of the `AdminClientConfig` (librdkafka properties) that `RdKafkaAdminService` connects with.
 * @publicApi
 */
export const RDKAFKA_ADMIN_CONFIG = Symbol.for('nest-rdkafka:admin-config');

/** Defaults the admin client merges under the user's config. @internal */
export const ADMIN_DEFAULTS = Object.freeze({
  clientId: 'nest-rdkafka-admin',
  requestTimeoutMs: 30_000,
  operationTimeoutMs: 30_000,
  connectionTimeoutMs: 30_000,
});
