/**
 * Injection token of the `RdKafkaModuleOptions` given to `forRoot`/`forRootAsync` (local to each module instance).
 * @publicApi
 */
export const RDKAFKA_MODULE_OPTIONS = Symbol.for('nest-rdkafka:module-options');

/**
 * Every default of `RdKafkaModule`, in one place; merged once into the options (see `resolveModuleOptions`).
 * @publicApi
 */
export const RDKAFKA_MODULE_DEFAULTS = Object.freeze({
  requestTimeoutMs: 10_000,
  shutdownTimeoutMs: 15_000,
  health: Object.freeze({
    stallTimeoutMs: 60_000,
    unassignedTimeoutMs: 30_000,
    requireAssignment: true,
    timeoutMs: 3_000,
  }),
});

/** Log contexts of the module's components. @internal */
export const LOG_CONTEXT = Object.freeze({
  module: 'RdKafkaModule',
  producer: 'RdKafkaProducerService',
  client: 'ClientRdKafka',
  server: 'ServerRdKafka',
  health: 'RdKafkaHealthIndicator',
});
