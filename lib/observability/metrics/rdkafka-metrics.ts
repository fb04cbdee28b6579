import type { LoggerService } from '@nestjs/common';
import type { ClientCallbacks } from '../../client/config/index.js';
import {
  CounterCell,
  HistogramCell,
  labelKey,
  type HistogramSample,
  type MetricLabels,
  type ObservationSink,
  type ValueSample,
} from './metric-cells.js';
import type { MetricKey } from './metric-definitions.js';
import { type RdKafkaMetricsOptions, resolveMetricsOptions, type ResolvedMetricsOptions } from './metrics.options.js';
import { MetricsExport } from './metrics-export.js';
import { type ClientStatistics, parseStatistics } from './statistics/librdkafka-statistics.js';
import { STATISTICS_METRICS, statisticsSamples, type StatisticsMetric } from './statistics/statistics-samples.js';

/** How a record's handling ended, as the `outcome` label says it. @publicApi */
export type RecordOutcome = 'success' | 'skipped' | 'stopped' | 'aborted' | 'forwarded' | 'dead_lettered';
/** How a request ended, as the `outcome` label says it. @publicApi */
export type RequestOutcome = 'success' | 'error' | 'timeout';
/** A rebalance event of the server's consumer. @publicApi */
export type RebalanceKind = 'assign' | 'revoke' | 'lost';

/** What a server reports about its buffer when metrics are collected. @internal */
export interface BufferProbe {
  /** Records fetched and not finished. */
  buffered(): number;
  /** `maxBufferedRecords`. */
  readonly capacity: number;
}

/** The per-topic series of the server's hot path, looked up once per record. */
interface TopicCells {
  readonly outcomes: Record<RecordOutcome, CounterCell>;
  readonly failed: CounterCell;
  readonly retried: CounterCell;
  readonly deadLettered: CounterCell;
  readonly duration: HistogramCell;
}

/** A server's gauges: handling started and not ended, and its buffer. */
interface ServerGauges {
  inFlight: number;
  probe: BufferProbe | null;
}

const isStatistics = (k: MetricKey): k is StatisticsMetric => (STATISTICS_METRICS as readonly string[]).includes(k);

/**
 * The metrics of one server or client (and of the module's producer service): counters and histograms the
 * transport updates as records and requests go by, gauges read when collected, and the latest librdkafka
 * statistics of each client. Aggregated here in plain numbers; the exporters (a Prometheus registry, an
 * OpenTelemetry meter) read them when they collect, so the hot path never calls into a metrics library.
 * @publicApi
 */
export class RdKafkaMetrics {
  readonly options: ResolvedMetricsOptions;
  readonly #topics = new Map<string, TopicCells>();
  readonly #counters = new Map<MetricKey, Map<string, CounterCell>>();
  readonly #histograms = new Map<MetricKey, Map<string, HistogramCell>>();
  readonly #sinks = new Map<MetricKey, ObservationSink[]>();
  readonly #servers = new Map<string, ServerGauges>();
  readonly #statistics = new Map<string, { at: number; stats: ClientStatistics }>();
  readonly #export: MetricsExport;
  /** Users started and not stopped (one instance may serve a server and a client). */
  #users = 0;

  /**
   * @param options what to export to (see `RdKafkaMetricsOptions`)
   * @param logger where a failure to export is logged
   */
  constructor(options: RdKafkaMetricsOptions = {}, logger?: LoggerService) {
    this.options = resolveMetricsOptions(options);
    this.#export = new MetricsExport(this, logger);
  }

  /**
   * Starts exporting: registers with the Prometheus registry and the OpenTelemetry meter. Counted: each
   * `start()` (a server's listen, a client's connect) is undone by one `stop()`.
   * @throws MissingDependencyError when `prometheus: true` and prom-client is not installed
   */
  start(): void {
    this.#export.start();
    this.#users++;
  }

  /** Stops exporting this instance's series once every user stopped (a closed server's figures do not linger). */
  stop(): void {
    if (this.#users === 0 || --this.#users > 0) return;
    this.#export.stop();
    this.#statistics.clear();
  }

  /** Called by exporters: what to do with each histogram observation as it happens. @internal */
  addObservationSink(metric: MetricKey, sink: ObservationSink): () => void {
    const sinks = this.#sinkList(metric);
    sinks.push(sink);
    return () => {
      const i = sinks.indexOf(sink);
      if (i >= 0) sinks.splice(i, 1);
    };
  }

  /** A record's handling ended (the server's hot path). */
  recordHandled(topic: string, outcome: RecordOutcome, seconds: number): void {
    const cells = this.#topic(topic);
    cells.outcomes[outcome].value++;
    cells.duration.observe(seconds);
  }

  /** The error policy gave up on a record whose handler (or decoding) failed. */
  recordFailed(topic: string): void {
    this.#topic(topic).failed.value++;
  }

  /** A failed handler attempt is retried. */
  recordRetried(topic: string): void {
    this.#topic(topic).retried.value++;
  }

  /** A record was sent to a dead-letter topic (by the topic it came from). */
  recordDeadLettered(topic: string): void {
    this.#topic(topic).deadLettered.value++;
  }

  /** A request of `ClientRdKafka.send()` ended: its final reply, an error, or its timeout. */
  requestEnded(topic: string, outcome: RequestOutcome, seconds: number): void {
    this.#histogram('requestDuration', { topic, outcome }).observe(seconds);
    if (outcome === 'timeout') this.#counter('requestTimeouts', { topic }).value++;
  }

  /** The server's consumer was assigned, revoked or lost partitions. */
  rebalanced(group: string, kind: RebalanceKind): void {
    this.#counter('rebalances', { group, kind }).value++;
  }

  /** The gauges of a server's group: its in-flight count, which the measured dispatcher keeps. @internal */
  serverGauges(group: string): ServerGauges {
    let g = this.#servers.get(group);
    if (!g) this.#servers.set(group, (g = { inFlight: 0, probe: null }));
    return g;
  }

  /** Reads a server's buffer when collected. @internal */
  watchBuffer(group: string, probe: BufferProbe | null): void {
    this.serverGauges(group).probe = probe;
  }

  /**
   * librdkafka's statistics JSON of one client: parsed once, the latest kept per client until collected. A
   * document that does not parse is ignored.
   */
  onStatistics(json: string, now = Date.now()): void {
    const stats = parseStatistics(json);
    if (stats) this.#statistics.set(stats.client, { at: now, stats });
  }

  /**
   * A client config that also feeds this instance with the client's statistics: `stats_cb` chained before
   * the application's, and `statistics.interval.ms` set when the config does not set it.
   */
  instrumentConfig<T extends ClientCallbacks & { 'statistics.interval.ms'?: unknown }>(config: T): T {
    const interval = this.options.statisticsIntervalMs;
    if (interval <= 0 && config['statistics.interval.ms'] === undefined) return config;
    const user = config.stats_cb;
    return {
      ...config,
      'statistics.interval.ms': config['statistics.interval.ms'] ?? interval,
      stats_cb: (json: string) => {
        this.onStatistics(json);
        user?.(json);
      },
    };
  }

  /** The current series of a counter or gauge. @internal */
  collectValues(metric: MetricKey, now = Date.now()): ValueSample[] {
    if (isStatistics(metric)) return statisticsSamples(metric, this.#freshStatistics(now));
    if (metric === 'inFlight' || metric === 'buffered' || metric === 'bufferFill') return this.#serverSamples(metric);
    return [...(this.#counters.get(metric)?.values() ?? [])].map((c) => ({ labels: c.labels, value: c.value }));
  }

  /** The current series of a histogram. @internal */
  collectHistograms(metric: MetricKey): HistogramSample[] {
    return [...(this.#histograms.get(metric)?.values() ?? [])].map((h) => h.sample());
  }

  #serverSamples(metric: 'inFlight' | 'buffered' | 'bufferFill'): ValueSample[] {
    const out: ValueSample[] = [];
    for (const [group, g] of this.#servers) {
      if (metric === 'inFlight') out.push({ labels: { group }, value: g.inFlight });
      else if (g.probe) {
        const buffered = g.probe.buffered();
        out.push({ labels: { group }, value: metric === 'buffered' ? buffered : buffered / Math.max(1, g.probe.capacity) });
      }
    }
    return out;
  }

  #freshStatistics(now: number): ClientStatistics[] {
    const maxAge = this.options.staleAfterIntervals * this.options.statisticsIntervalMs;
    const out: ClientStatistics[] = [];
    for (const [client, s] of this.#statistics) {
      if (maxAge > 0 && now - s.at > maxAge) this.#statistics.delete(client);
      else out.push(s.stats);
    }
    return out;
  }

  #topic(topic: string): TopicCells {
    let cells = this.#topics.get(topic);
    if (!cells) {
      const outcome = (o: RecordOutcome): CounterCell => this.#counter('handled', { topic, outcome: o });
      cells = {
        outcomes: {
          success: outcome('success'),
          skipped: outcome('skipped'),
          stopped: outcome('stopped'),
          aborted: outcome('aborted'),
          forwarded: outcome('forwarded'),
          dead_lettered: outcome('dead_lettered'),
        },
        failed: this.#counter('failed', { topic }),
        retried: this.#counter('retried', { topic }),
        deadLettered: this.#counter('deadLettered', { topic }),
        duration: this.#histogram('handlerDuration', { topic }),
      };
      this.#topics.set(topic, cells);
    }
    return cells;
  }

  #counter(metric: MetricKey, labels: MetricLabels): CounterCell {
    let family = this.#counters.get(metric);
    if (!family) this.#counters.set(metric, (family = new Map()));
    const key = labelKey(labels);
    let cell = family.get(key);
    if (!cell) family.set(key, (cell = new CounterCell(labels)));
    return cell;
  }

  #histogram(metric: MetricKey, labels: MetricLabels): HistogramCell {
    let family = this.#histograms.get(metric);
    if (!family) this.#histograms.set(metric, (family = new Map()));
    const key = labelKey(labels);
    let cell = family.get(key);
    if (!cell) family.set(key, (cell = new HistogramCell(labels, this.#sinkList(metric))));
    return cell;
  }

  #sinkList(metric: MetricKey): ObservationSink[] {
    let sinks = this.#sinks.get(metric);
    if (!sinks) this.#sinks.set(metric, (sinks = []));
    return sinks;
  }
}
