import type { MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** One data point of a collected OpenTelemetry metric: a number, or a histogram's `{ count, sum, buckets }`. */
export interface OtelPoint {
  attributes: Record<string, unknown>;
  value: unknown;
}

/** Collects once from a reader; fails the test on collection errors. */
export async function collectOtel(reader: MetricReader): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await reader.collect({ timeoutMillis: 10_000 });
  if (errors.length > 0) throw new Error(`OpenTelemetry collection failed: ${errors.map(String).join('; ')}`);
  return resourceMetrics;
}

/** The data points of one metric, by its OpenTelemetry name. */
export function otelPoints(collected: ResourceMetrics, name: string): OtelPoint[] {
  const metric = collected.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => ({ attributes: { ...p.attributes }, value: p.value }));
}

/** The value of one series in a prom-client registry's text output (`name{labels}`), undefined when absent. */
export async function promValue(registry: { metrics(): Promise<string> }, series: string): Promise<number | undefined> {
  const found = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return found === undefined ? undefined : Number(found.slice(series.length + 1));
}

/** Polls an async check every 100 ms until it returns true; throws naming `what` (and the last value seen) after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string, last?: () => unknown): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last: ${JSON.stringify(last())}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
