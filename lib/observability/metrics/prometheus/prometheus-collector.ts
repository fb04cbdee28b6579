import { labelKey, type HistogramSample, type MetricLabels, type ValueSample } from '../metric-cells.js';
import { METRICS, type MetricKey } from '../metric-definitions.js';
import type { PrometheusRegistryLike } from '../metrics.options.js';

/** What a collector reads: an `RdKafkaMetrics`. @internal */
export interface MetricSource {
  collectValues(metric: MetricKey): ValueSample[];
  collectHistograms(metric: MetricKey): HistogramSample[];
}

interface PromValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** Marks our collectors: a registry shared by several servers and clients holds one per metric. */
const BRAND = Symbol.for('nest-rdkafka:prometheus-collector');

/**
 * One metric in a prom-client registry, in prom-client's collector shape (`name`, `help`, `type`, `get()`),
 * read from every source (server, client) registered with it when the registry is scraped. Series of several
 * sources with the same labels are added up (two servers of one app consuming one topic).
 * @internal
 */
export class PrometheusCollector {
  readonly [BRAND] = true;
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator = 'sum';
  readonly labelNames: readonly string[];
  readonly #sources = new Set<MetricSource>();

  constructor(private readonly metric: MetricKey) {
    const d = METRICS[metric];
    this.name = d.prometheus;
    this.help = d.help;
    this.type = d.kind;
    this.labelNames = d.labels;
  }

  /** Adds a source to the registry's collector of `metric` (created and registered on first use). @returns its removal */
  static attach(registry: PrometheusRegistryLike, metric: MetricKey, source: MetricSource): () => void {
    const name = METRICS[metric].prometheus;
    let collector = registry.getSingleMetric(name) as PrometheusCollector | undefined;
    if (collector && !(collector as unknown as Record<symbol, unknown>)[BRAND])
      throw new Error(`The Prometheus registry already holds a metric named ${name} that nest-rdkafka did not register`);
    if (!collector) registry.registerMetric((collector = new PrometheusCollector(metric)) as never);
    collector.#sources.add(source);
    const owner = collector;
    return () => {
      owner.#sources.delete(source);
      if (owner.#sources.size === 0 && registry.getSingleMetric(name) === owner) registry.removeSingleMetric(name);
    };
  }

  /** prom-client's collection call. */
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: PromValue[] }> {
    const values = this.type === 'histogram' ? this.#histogramValues() : this.#values();
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  /** prom-client's `resetMetrics()`: our figures are the transport's own, not reset from outside. */
  reset(): void {}

  #values(): PromValue[] {
    const merged = new Map<string, { labels: MetricLabels; value: number }>();
    for (const source of this.#sources) {
      for (const s of source.collectValues(this.metric)) {
        const key = labelKey(s.labels);
        const seen = merged.get(key);
        if (seen) seen.value += s.value;
        else merged.set(key, { labels: s.labels, value: s.value });
      }
    }
    return [...merged.values()].map((v) => ({ value: v.value, labels: { ...v.labels } }));
  }

  #histogramValues(): PromValue[] {
    const merged = new Map<string, { labels: MetricLabels; bounds: readonly number[]; counts: number[]; sum: number; count: number }>();
    for (const source of this.#sources) {
      for (const h of source.collectHistograms(this.metric)) {
        const key = labelKey(h.labels);
        const seen = merged.get(key);
        if (!seen) merged.set(key, { ...h, counts: [...h.counts] });
        else {
          h.counts.forEach((c, i) => (seen.counts[i]! += c));
          seen.sum += h.sum;
          seen.count += h.count;
        }
      }
    }
    const out: PromValue[] = [];
    for (const h of merged.values()) {
      let cumulative = 0;
      h.bounds.forEach((le, i) => {
        cumulative += h.counts[i]!;
        out.push({ metricName: `${this.name}_bucket`, labels: { ...h.labels, le }, value: cumulative });
      });
      out.push({ metricName: `${this.name}_bucket`, labels: { ...h.labels, le: '+Inf' }, value: h.count });
      out.push({ metricName: `${this.name}_sum`, labels: { ...h.labels }, value: h.sum });
      out.push({ metricName: `${this.name}_count`, labels: { ...h.labels }, value: h.count });
    }
    return out;
  }
}
