import type { LoggerService } from '@nestjs/common';
import { ErrorCode, KafkaException } from '../../../lib/errors/index.js';
import type { RdKafkaTopicOptions } from '../../../lib/module/interfaces/rdkafka-module-options.interface.js';
import type { ExistingTopic, TopicProvisioningAdmin } from '../../../lib/module/topic-admin.js';
import { provisionTopics } from '../../../lib/module/topic-provisioner.js';
import { TopicProvisioningError } from '../../../lib/module/topic-provisioning.error.js';

/** A cluster in memory; `configsError` is what DescribeConfigs fails with, `createError` what creation fails with. */
class FakeCluster implements TopicProvisioningAdmin {
  readonly topics = new Map<string, ExistingTopic & { config: Record<string, string> }>();
  readonly created: string[] = [];
  configsError: unknown = null;
  createError: unknown = null;

  async describe(names: readonly string[]): Promise<Map<string, ExistingTopic>> {
    return new Map(names.filter((n) => this.topics.has(n)).map((n) => [n, this.topics.get(n)!]));
  }

  async create(spec: RdKafkaTopicOptions): Promise<void> {
    if (this.createError) throw this.createError;
    this.created.push(spec.name);
    this.topics.set(spec.name, { partitions: spec.numPartitions ?? 1, replicas: 1, config: spec.config ?? {} });
  }

  async configs(topic: string): Promise<Map<string, string | null>> {
    if (this.configsError) throw this.configsError;
    return new Map(Object.entries(this.topics.get(topic)!.config));
  }

  async close(): Promise<void> {}
}

function recordingLogger(): LoggerService & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, log: () => undefined, error: () => undefined, warn: (m: unknown) => void warnings.push(String(m)) };
}

describe('provisionTopics', () => {
  it('creates missing topics and reports how existing ones differ, changing nothing', async () => {
    const cluster = new FakeCluster();
    cluster.topics.set('old', { partitions: 1, replicas: 1, config: { 'cleanup.policy': 'delete' } });
    const logger = recordingLogger();
    const report = await provisionTopics(
      cluster,
      [
        { name: 'new', numPartitions: 3 },
        { name: 'old', numPartitions: 4, config: { 'cleanup.policy': 'compact' } },
      ],
      logger,
      'ctx',
    );
    expect(report.created).toEqual(['new']);
    expect(report.existing).toEqual(['old']);
    expect(report.differences).toEqual([
      { topic: 'old', property: 'numPartitions', declared: 4, actual: 1 },
      { topic: 'old', property: 'cleanup.policy', declared: 'compact', actual: 'delete' },
    ]);
    expect(cluster.topics.get('old')!.partitions).toBe(1);
  });

  it('skips the config comparison, with a warning, when the admin cannot speak the security setting', async () => {
    const cluster = new FakeCluster();
    cluster.topics.set('old', { partitions: 1, replicas: 1, config: {} });
    cluster.configsError = new KafkaException(
      ErrorCode._UNSUPPORTED_FEATURE,
      'describeConfigs: SASL mechanism OAUTHBEARER is not supported',
    );
    const logger = recordingLogger();
    const report = await provisionTopics(cluster, [{ name: 'old', numPartitions: 2, config: { 'retention.ms': '1' } }], logger, 'ctx');
    expect(report.differences).toEqual([{ topic: 'old', property: 'numPartitions', declared: 2, actual: 1 }]);
    expect(logger.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('declared configs not compared: describeConfigs: SASL mechanism OAUTHBEARER')]),
    );
  });

  it('counts a topic another instance created first as existing, and fails start-up on any other creation error', async () => {
    const raced = new FakeCluster();
    raced.createError = new KafkaException(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect((await provisionTopics(raced, [{ name: 't' }], recordingLogger(), 'ctx')).existing).toEqual(['t']);

    const refused = new FakeCluster();
    refused.createError = new KafkaException(ErrorCode.INVALID_REPLICATION_FACTOR, 'too many replicas');
    const error = await provisionTopics(refused, [{ name: 't', replicationFactor: 9 }], recordingLogger(), 'ctx').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopicProvisioningError);
    expect(error).toMatchObject({ topic: 't', operation: 'create', code: ErrorCode.INVALID_REPLICATION_FACTOR });
  });
});
