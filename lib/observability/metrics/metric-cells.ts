import { DURATION_BUCKETS_SECONDS } from './metric-definitions.js';

/** Label values by label name. @publicApi */
export type MetricLabels = Readonly<Record<string, string>>;

/** One series of a counter or gauge at collection time. @internal */
export interface ValueSample {
  readonly labels: MetricLabels;
  readonly value: number;
}

/** One histogram series at collection time: per-bucket counts (not cumulative), the last one above every bound. @internal */
export interface HistogramSample {
  readonly labels: MetricLabels;
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** Where a histogram's observations also go as they happen (OpenTelemetry has no pre-aggregated histograms). @internal */
export type ObservationSink = (value: number, labels: MetricLabels) => void;

/**
 * A counter series: a plain number the hot path increments. The exporters read it when they collect, so a
 * record costs one addition, not a label lookup in a metrics library (prom-client's `inc` with labels measured
 * 0.3 µs, its `observe` 0.65 µs, against events handled in ~10 µs each on this machine).
 * @internal
 */
export class CounterCell {
  value = 0;
  constructor(readonly labels: MetricLabels) {}
}

/**
 * A histogram series with fixed bucket bounds, aggregated locally like `CounterCell`. Observations are also
 * passed to the sinks (an OpenTelemetry histogram) when there are any.
 * @internal
 */
export class HistogramCell {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: MetricLabels,
    private readonly sinks: readonly ObservationSink[],
    readonly bounds: readonly number[] = DURATION_BUCKETS_SECONDS,
  ) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
    for (let s = 0; s < this.sinks.length; s++) this.sinks[s]!(value, this.labels);
  }

  sample(): HistogramSample {
    return { labels: this.labels, bounds: this.bounds, counts: [...this.counts], sum: this.sum, count: this.count };
  }
}

/** A stable key of a label set (label names are fixed per metric, so values in order suffice). @internal */
export function labelKey(labels: MetricLabels): string {
  let key = '';
  for (const k in labels) key += `${labels[k]}\u0000`;
  return key;
}
