import type { RdKafkaMetrics } from './metrics/rdkafka-metrics.js';
import type { KafkaTracing } from './tracing/kafka-tracing.js';

/**
 * The dispatcher's `onFailure` for a server's metrics and tracing: each failed attempt counts as retried or
 * failed, and becomes an exception event of the record's `process` span (it is called in the record's context).
 * Undefined when neither is on, so a server without them makes no call per failure.
 * @internal
 */
export function failureListener(
  metrics: RdKafkaMetrics | null,
  tracing: KafkaTracing | null,
): ((topic: string, willRetry: boolean, err: unknown) => void) | undefined {
  if (!metrics && !tracing) return undefined;
  return (topic, willRetry, err) => {
    if (metrics) {
      if (willRetry) metrics.recordRetried(topic);
      else metrics.recordFailed(topic);
    }
    tracing?.onFailure(err);
  };
}
