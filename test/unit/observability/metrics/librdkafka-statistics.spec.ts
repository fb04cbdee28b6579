import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStatistics } from '../../../../lib/observability/metrics/index.js';
import { statisticsSamples } from '../../../../lib/observability/metrics/statistics/statistics-samples.js';

// Recorded from real clients on the embedded broker (statistics.interval.ms 300-500): a consumer that handled
// part of topic stats-fixture and committed (partition 0 behind by 420, partition 1 caught up), and a producer
// holding 40 records of 100 bytes in its queue (linger.ms 2000).
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const consumerJson = readFileSync(join(FIXTURES, 'consumer-stats.json'), 'utf8');
const producerJson = readFileSync(join(FIXTURES, 'producer-stats.json'), 'utf8');

describe('parseStatistics (librdkafka stats_cb JSON)', () => {
  it("reads a consumer's lag per assigned partition, skipping librdkafka's internal partition -1", () => {
    const s = parseStatistics(consumerJson)!;
    expect(s.client).toBe('fixture-consumer#consumer-1');
    expect(s.type).toBe('consumer');
    expect(s.partitions).toEqual([
      { topic: 'stats-fixture', partition: 0, consumerLag: 420, consumerLagStored: 0 },
      { topic: 'stats-fixture', partition: 1, consumerLag: 0, consumerLagStored: 0 },
    ]);
  });

  it('reads broker round-trip times in seconds (librdkafka reports microseconds), null for a window without requests', () => {
    const s = parseStatistics(consumerJson)!;
    const broker = s.brokers.find((b) => b.nodeId === 1)!;
    expect(broker.broker).toBe('127.0.0.1:45092/1');
    expect(broker.rttAvgSeconds).toBeCloseTo(0.502162, 6);
    expect(broker.rttP99Seconds).toBeCloseTo(0.503807, 6);
    // The group coordinator's connection had no request in the interval: no figure rather than a zero.
    const coordinator = s.brokers.find((b) => b.broker === 'GroupCoordinator')!;
    expect(coordinator.rttAvgSeconds).toBeNull();
    expect(s.rxMessages).toBe(JSON.parse(consumerJson).rxmsgs);
  });

  it("reads a producer's queue depth and bytes", () => {
    const s = parseStatistics(producerJson)!;
    expect(s.type).toBe('producer');
    expect(s.queueMessages).toBe(40);
    expect(s.queueBytes).toBe(4000);
  });

  it('returns null for text that is not a statistics document', () => {
    expect(parseStatistics('not json')).toBeNull();
    expect(parseStatistics('{"brokers":{}}')).toBeNull();
    expect(parseStatistics('null')).toBeNull();
  });

  it('turns the figures into series labelled by client, topic, partition and broker', () => {
    const consumer = parseStatistics(consumerJson)!;
    const producer = parseStatistics(producerJson)!;
    expect(statisticsSamples('consumerLag', [consumer, producer])).toEqual([
      { labels: { client: consumer.client, topic: 'stats-fixture', partition: '0' }, value: 420 },
      { labels: { client: consumer.client, topic: 'stats-fixture', partition: '1' }, value: 0 },
    ]);
    // A consumer has no producer queue: only the producer's series.
    expect(statisticsSamples('producerQueueMessages', [consumer, producer])).toEqual([{ labels: { client: producer.client }, value: 40 }]);
    const txErrors = statisticsSamples('txErrors', [consumer]);
    expect(txErrors.map((s) => s.labels.broker)).toEqual(consumer.brokers.map((b) => b.broker));
  });
});
