export { RdKafkaMetrics, type RebalanceKind, type RecordOutcome, type RequestOutcome } from './rdkafka-metrics.js';
export { METRICS_DEFAULTS, type MeterProviderLike, type PrometheusRegistryLike, type RdKafkaMetricsOptions } from './metrics.options.js';
export { DURATION_BUCKETS_SECONDS, METRICS, type MetricDefinition, type MetricKey, type MetricKind } from './metric-definitions.js';
export type { MetricLabels } from './metric-cells.js';
export {
  type BrokerStatistics,
  type ClientStatistics,
  type PartitionStatistics,
  parseStatistics,
} from './statistics/librdkafka-statistics.js';
