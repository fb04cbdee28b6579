import type { MetricKey } from '../metric-definitions.js';
import type { ValueSample } from '../metric-cells.js';
import type { ClientStatistics } from './librdkafka-statistics.js';

/** The metrics read from librdkafka's statistics. @internal */
export const STATISTICS_METRICS = [
  'consumerLag',
  'consumerLagStored',
  'brokerRttAvg',
  'brokerRttP99',
  'producerQueueMessages',
  'producerQueueBytes',
  'txBytes',
  'rxBytes',
  'txMessages',
  'rxMessages',
  'txErrors',
  'rxErrors',
  'requestTimeoutsBroker',
] as const satisfies readonly MetricKey[];

/** @internal */
export type StatisticsMetric = (typeof STATISTICS_METRICS)[number];

type Figure = (s: ClientStatistics) => ValueSample[];

const perClient =
  (pick: (s: ClientStatistics) => number): Figure =>
  (s) => [{ labels: { client: s.client }, value: pick(s) }];

const perBroker =
  (pick: (b: ClientStatistics['brokers'][number]) => number | null): Figure =>
  (s) =>
    s.brokers.flatMap((b) => {
      const value = pick(b);
      return value === null ? [] : [{ labels: { client: s.client, broker: b.broker }, value }];
    });

const perPartition =
  (pick: (p: ClientStatistics['partitions'][number]) => number | null): Figure =>
  (s) =>
    s.partitions.flatMap((p) => {
      const value = pick(p);
      return value === null ? [] : [{ labels: { client: s.client, topic: p.topic, partition: String(p.partition) }, value }];
    });

const FIGURES: Record<StatisticsMetric, Figure> = {
  consumerLag: perPartition((p) => p.consumerLag),
  consumerLagStored: perPartition((p) => p.consumerLagStored),
  brokerRttAvg: perBroker((b) => b.rttAvgSeconds),
  brokerRttP99: perBroker((b) => b.rttP99Seconds),
  // A consumer has no producer queue: its zeros would only add series.
  producerQueueMessages: (s) => (s.type === 'producer' ? perClient((x) => x.queueMessages)(s) : []),
  producerQueueBytes: (s) => (s.type === 'producer' ? perClient((x) => x.queueBytes)(s) : []),
  txBytes: perClient((s) => s.txBytes),
  rxBytes: perClient((s) => s.rxBytes),
  txMessages: perClient((s) => s.txMessages),
  rxMessages: perClient((s) => s.rxMessages),
  txErrors: perBroker((b) => b.txErrors),
  rxErrors: perBroker((b) => b.rxErrors),
  requestTimeoutsBroker: perBroker((b) => b.requestTimeouts),
};

/**
 * The series of one statistics metric over the latest statistics of each client.
 * @internal
 */
export function statisticsSamples(metric: StatisticsMetric, clients: Iterable<ClientStatistics>): ValueSample[] {
  const out: ValueSample[] = [];
  for (const s of clients) out.push(...FIGURES[metric](s));
  return out;
}
