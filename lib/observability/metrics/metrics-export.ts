import type { LoggerService } from '@nestjs/common';
import type { Meter } from '@opentelemetry/api';
import { ownPackageJson } from '../../internal/node-require.cjs';
import { METRICS, type MetricKey } from './metric-definitions.js';
import type { ResolvedMetricsOptions } from './metrics.options.js';
import { globalMeterProvider } from './opentelemetry/load-otel-api.js';
import { OtelExporter, type OtelSource } from './opentelemetry/otel-exporter.js';
import { defaultPrometheusRegistry } from './prometheus/load-prom-client.js';
import { PrometheusCollector } from './prometheus/prometheus-collector.js';

const KEYS = Object.keys(METRICS) as MetricKey[];

/**
 * Connects one `RdKafkaMetrics` to its exporters when its server or client starts: a Prometheus registry and
 * an OpenTelemetry meter, as its options say. Started late on purpose: the global MeterProvider of
 * `@opentelemetry/api` is read once (its no-op provider never becomes a real one), and an SDK is usually
 * registered after the application's modules were built.
 * @internal
 */
export class MetricsExport {
  #undo: (() => void)[] | null = null;

  constructor(
    private readonly source: OtelSource & { readonly options: ResolvedMetricsOptions },
    private readonly logger?: LoggerService,
  ) {}

  start(): void {
    if (this.#undo) return;
    const undo: (() => void)[] = [];
    this.#undo = undo;
    try {
      this.#attach(undo);
    } catch (err) {
      // Nothing half-registered stays behind (a registry holding one of our names, prom-client missing).
      this.stop();
      throw err;
    }
  }

  #attach(undo: (() => void)[]): void {
    const { prometheus, openTelemetry } = this.source.options;
    if (prometheus) {
      const registry = prometheus === true ? defaultPrometheusRegistry() : prometheus;
      for (const key of KEYS) undo.push(PrometheusCollector.attach(registry, key, this.source));
    }
    if (openTelemetry) {
      const provider = openTelemetry === true ? globalMeterProvider() : openTelemetry;
      if (!provider) {
        this.logger?.debug?.('metrics.openTelemetry: @opentelemetry/api is not installed, nothing is exported to it', 'RdKafkaMetrics');
        return;
      }
      const { name, version } = ownPackageJson();
      const exporter = new OtelExporter(provider.getMeter(name, version) as Meter, this.source, KEYS);
      undo.push(() => exporter.stop());
    }
  }

  stop(): void {
    for (const u of this.#undo?.splice(0) ?? []) u();
    this.#undo = null;
  }
}
