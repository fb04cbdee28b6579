// Types only: @opentelemetry/api is an optional peer (see load-otel-api.ts); this file receives a Meter.
import type { Attributes, BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import type { MetricLabels } from '../metric-cells.js';
import { DURATION_BUCKETS_SECONDS, METRICS, OTEL_ATTRIBUTES, type MetricKey } from '../metric-definitions.js';
import type { MetricSource } from '../prometheus/prometheus-collector.js';

/** What the exporter needs of an `RdKafkaMetrics`. @internal */
export interface OtelSource extends MetricSource {
  addObservationSink(metric: MetricKey, sink: (value: number, labels: MetricLabels) => void): () => void;
}

/**
 * Exports one source through an OpenTelemetry meter: counters and gauges as observable instruments read by
 * one batch callback when the SDK collects, histograms as histograms fed as observations happen (the API has
 * no way to report a histogram aggregated elsewhere).
 * @internal
 */
export class OtelExporter {
  readonly #attributes = new WeakMap<MetricLabels, Attributes>();
  readonly #undo: (() => void)[] = [];

  constructor(meter: Meter, source: OtelSource, keys: readonly MetricKey[]) {
    const observables = new Map<MetricKey, Observable>();
    for (const key of keys) {
      const d = METRICS[key];
      const options = { description: d.help, unit: d.unit };
      if (d.kind === 'histogram') {
        const h = meter.createHistogram(d.openTelemetry, {
          ...options,
          advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
        });
        this.#undo.push(source.addObservationSink(key, (v, labels) => h.record(v, this.#attrs(labels))));
      } else {
        observables.set(
          key,
          d.kind === 'counter'
            ? meter.createObservableCounter(d.openTelemetry, options)
            : meter.createObservableGauge(d.openTelemetry, options),
        );
      }
    }
    const callback: BatchObservableCallback = (result) => {
      for (const [key, instrument] of observables) {
        for (const s of source.collectValues(key)) result.observe(instrument, s.value, this.#attrs(s.labels));
      }
    };
    meter.addBatchObservableCallback(callback, [...observables.values()]);
    this.#undo.push(() => meter.removeBatchObservableCallback(callback, [...observables.values()]));
  }

  /** Stops exporting. */
  stop(): void {
    for (const undo of this.#undo.splice(0)) undo();
  }

  /** Our label names as OpenTelemetry attribute names, once per series (its labels object is kept by its cell). */
  #attrs(labels: MetricLabels): Attributes {
    let attrs = this.#attributes.get(labels);
    if (!attrs) {
      attrs = {};
      for (const k in labels) attrs[OTEL_ATTRIBUTES[k] ?? k] = labels[k];
      this.#attributes.set(labels, attrs);
    }
    return attrs;
  }
}
