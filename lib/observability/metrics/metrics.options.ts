/**
 * What the Prometheus side needs of a prom-client `Registry` (structural, so the package's typings do not
 * import prom-client, an optional peer): our collectors register into it.
 * @publicApi
 */
export interface PrometheusRegistryLike {
  registerMetric(metric: never): void;
  getSingleMetric(name: string): unknown;
  removeSingleMetric(name: string): void;
}

/**
 * What the OpenTelemetry side needs of a `MeterProvider` (structural, see `PrometheusRegistryLike`).
 * @publicApi
 */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): unknown;
}

/**
 * Metrics of a server, a client or a module (`metrics` in their options). Without this option nothing is
 * measured and neither peer package is loaded.
 * @example new ServerRdKafka({ client, metrics: { prometheus: true } })
 * @publicApi
 */
export interface RdKafkaMetricsOptions {
  /**
   * Export to a prom-client registry: `true` for prom-client's default `register`, or your own `Registry`.
   * Needs the optional peer `prom-client` (`MissingDependencyError` without it when `true`; a registry you pass
   * does not need it loaded by us).
   * @default false
   */
  prometheus?: PrometheusRegistryLike | boolean;
  /**
   * Export through the OpenTelemetry metrics API: `true` uses the global MeterProvider (the one your SDK
   * registered; nothing is exported while none is), or pass a provider. Without `@opentelemetry/api` installed
   * `true` does nothing (logged at debug level).
   * @default true
   */
  openTelemetry?: MeterProviderLike | boolean;
  /**
   * librdkafka's `statistics.interval.ms` set on the clients when their config does not set it: the lag,
   * round-trip, queue and traffic metrics come from these statistics (one JSON document per client and
   * interval, parsed once). 0 turns them off.
   * @default 5000
   */
  statisticsIntervalMs?: number;
  /**
   * librdkafka statistics older than this many intervals are no longer exported (a closed client's figures
   * do not linger).
   * @default 3
   */
  staleAfterIntervals?: number;
}

/** The metrics defaults, in one place. @publicApi */
export const METRICS_DEFAULTS = Object.freeze({
  prometheus: false as PrometheusRegistryLike | boolean,
  openTelemetry: true as MeterProviderLike | boolean,
  statisticsIntervalMs: 5000,
  staleAfterIntervals: 3,
});

/** The options with every default applied (`RdKafkaMetrics.options`). @publicApi */
export type ResolvedMetricsOptions = Readonly<Required<RdKafkaMetricsOptions>>;

/** Merges `METRICS_DEFAULTS` under the options. @internal */
export function resolveMetricsOptions(options: RdKafkaMetricsOptions): ResolvedMetricsOptions {
  return Object.freeze({
    prometheus: options.prometheus ?? METRICS_DEFAULTS.prometheus,
    openTelemetry: options.openTelemetry ?? METRICS_DEFAULTS.openTelemetry,
    statisticsIntervalMs: options.statisticsIntervalMs ?? METRICS_DEFAULTS.statisticsIntervalMs,
    staleAfterIntervals: options.staleAfterIntervals ?? METRICS_DEFAULTS.staleAfterIntervals,
  });
}
