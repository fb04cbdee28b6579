import { failureTopicsOf } from '../../../lib/module/failure-topics.js';
import type { RdKafkaTopicOptions } from '../../../lib/module/interfaces/rdkafka-module-options.interface.js';

const declared: RdKafkaTopicOptions[] = [
  { name: 'orders', numPartitions: 6, replicationFactor: 3, config: { 'retention.ms': '1000' } },
  { name: 'payments' },
  { name: 'orders.reply', failureTopics: false },
];

describe('failureTopicsOf (retry and dead-letter topics to provision)', () => {
  it('adds nothing when the server never routes failures', () => {
    expect(failureTopicsOf(undefined, declared, new Map())).toEqual([]);
    expect(failureTopicsOf({ errorPolicy: { mode: 'skip' } }, declared, new Map())).toEqual([]);
    expect(failureTopicsOf({ errorPolicy: { mode: 'stop' }, deadLetter: {} }, declared, new Map())).toEqual([]);
  });

  it("declares each source's dead-letter and retry topics with its partition count, replication and configs", () => {
    const found = new Map([['payments', { partitions: 4, replicas: 1 }]]);
    const topics = failureTopicsOf({ retryTopics: { delaysMs: [100, 200] } }, declared, found);
    expect(topics.map((t) => [t.name, t.numPartitions])).toEqual([
      ['orders.dlt', 6],
      ['orders.retry.1', 6],
      ['orders.retry.2', 6],
      ['payments.dlt', 4],
      ['payments.retry.1', 4],
      ['payments.retry.2', 4],
    ]);
    expect(topics[0]).toMatchObject({ replicationFactor: 3, config: { 'retention.ms': '1000' } });
  });

  it('follows the naming options, retryTopics.topics, one shared dead-letter topic and topics declared anyway', () => {
    const topics = failureTopicsOf(
      {
        deadLetter: { topic: 'all.dlt' },
        retryTopics: { delaysMs: [1], topics: ['payments'], topic: (t, n) => `${t}-retry-${n}` },
      },
      [...declared, { name: 'payments-retry-1', numPartitions: 2 }],
      new Map(),
    );
    expect(topics.map((t) => t.name)).toEqual(['all.dlt']);
  });

  it('follows perTopic: its own delays, or no retry topics', () => {
    const topics = failureTopicsOf(
      { retryTopics: { delaysMs: [1, 2], perTopic: { orders: { delaysMs: [5] }, payments: false } } },
      declared,
      new Map(),
    );
    expect(topics.map((t) => t.name)).toEqual(['orders.dlt', 'orders.retry.1', 'payments.dlt']);
  });

  it('uses the declared count when the cluster does not report one, -1 (broker default) when none is declared', () => {
    const topics = failureTopicsOf({ deadLetter: {} }, declared, new Map());
    expect(topics.map((t) => [t.name, t.numPartitions])).toEqual([
      ['orders.dlt', 6],
      ['payments.dlt', -1],
    ]);
  });
});
