import { ErrorCode } from '../../lib/index.js';
import {
  AdminClient,
  AlterConfigOpType,
  ConfigEntry,
  ConfigResource,
  ConfigSource,
  NewPartitions,
  NewTopic,
  ResourceType,
  settleResults,
} from '../../lib/admin/index.js';
import { allOf, rejectionOf, waitFor } from './helpers/admin-env.js';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';

/**
 * Waits until the broker's metadata shows the topics (with `partitions` partitions each, if given): createTopics
 * and createPartitions answer with the controller's result, as librdkafka's and Java's do, and the metadata
 * follows moments later (lib/admin/README.md).
 */
async function visible(admin: AdminClient, topics: string[], partitions?: number): Promise<void> {
  await waitFor(async () =>
    [...(await settleResults(admin.describeTopics(topics))).values()].every(
      (r) => r.status === 'fulfilled' && (partitions === undefined || r.value.partitions.length === partitions),
    ),
  );
}

describe('AdminClient: topics, partitions, cluster and configs against the broker', () => {
  let admin: AdminClient;
  const created: string[] = [];

  beforeAll(async () => {
    admin = new AdminClient({ 'bootstrap.servers': bootstrapServers(), 'client.id': 'admin-topics-spec' });
    await admin.connect();
  });

  afterAll(async () => {
    await settleResults(admin.deleteTopics(created));
    await admin.close();
  });

  it('creates topics with partitions, an explicit assignment and configs, and reports an existing one per topic', async () => {
    const [a, b] = [uniqueTopic('adm-a'), uniqueTopic('adm-b')];
    created.push(a, b);
    await allOf(
      admin.createTopics([
        new NewTopic(a, { numPartitions: 3, replicationFactor: 1, config: { 'retention.ms': '3600000' } }),
        new NewTopic(b, { replicaAssignment: [[1], [1]] }),
      ]),
    );
    const again = admin.createTopics([new NewTopic(a, { numPartitions: 1 }), new NewTopic(uniqueTopic('adm-c'), { numPartitions: 1 })], {
      validateOnly: true,
    });
    const err = await rejectionOf(again.get(a));
    expect(err.code).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(err.error.name).toBe('TOPIC_ALREADY_EXISTS');
    const [, other] = [...again.values()];
    await expect(other).resolves.toBeUndefined();
    await visible(admin, [a, b]);
    const described = await allOf(admin.describeTopics([a, b]));
    expect(described.map((d) => d.partitions.length)).toEqual([3, 2]);
    expect(described[1]!.partitions[1]).toMatchObject({ id: 1, leader: 1, replicas: [1], isr: [1], error: null });
  });

  it('validateOnly creates nothing, and an invalid config value fails only its topic', async () => {
    const dry = uniqueTopic('adm-dry');
    await allOf(admin.createTopics([new NewTopic(dry, { numPartitions: 1 })], { validateOnly: true }));
    expect((await admin.listTopics()).topics.has(dry)).toBe(false);
    const [bad, good] = [uniqueTopic('adm-bad'), uniqueTopic('adm-good')];
    created.push(good);
    const results = admin.createTopics([new NewTopic(bad, { config: { 'cleanup.policy': 'shred' } }), new NewTopic(good)]);
    expect((await rejectionOf(results.get(bad))).code).toBe(ErrorCode.INVALID_CONFIG);
    await expect(results.get(good)).resolves.toBeUndefined();
  });

  it('deletes topics, reporting UNKNOWN_TOPIC_OR_PART for a missing one', async () => {
    const t = uniqueTopic('adm-del');
    await allOf(admin.createTopics([new NewTopic(t, { numPartitions: 1 })]));
    const missing = uniqueTopic('adm-missing');
    const results = admin.deleteTopics([t, missing]);
    await expect(results.get(t)).resolves.toBeUndefined();
    expect((await rejectionOf(results.get(missing))).code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PART);
    expect((await rejectionOf(admin.describeTopics([missing]).get(missing))).code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PART);
  });

  it('adds partitions, and refuses to shrink a topic', async () => {
    const t = uniqueTopic('adm-parts');
    created.push(t);
    await allOf(admin.createTopics([new NewTopic(t, { numPartitions: 1 })]));
    await visible(admin, [t]);
    await allOf(admin.createPartitions([new NewPartitions(t, 3, [[1], [1]])]));
    await visible(admin, [t], 3);
    expect((await admin.describeTopics([t]).get(t))!.partitions).toHaveLength(3);
    const shrink = admin.createPartitions([new NewPartitions(t, 2)]);
    expect((await rejectionOf(shrink.get(t))).code).toBe(ErrorCode.INVALID_PARTITIONS);
  });

  it('describes the cluster and lists topics with their partitions', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.clusterId).toMatch(/^[\w-]{22}$/);
    expect(cluster.nodes).toEqual([expect.objectContaining({ id: 1, host: '127.0.0.1' })]);
    expect(cluster.controller?.id).toBe(1);
    const listing = await admin.listTopics();
    expect(listing.topics.get(created[0]!)?.partitions).toHaveLength(3);
  });

  it('describes, alters and rejects invalid topic configs per resource', async () => {
    const t = uniqueTopic('adm-cfg');
    created.push(t);
    await allOf(admin.createTopics([new NewTopic(t, { numPartitions: 1 })]));
    await visible(admin, [t]);
    const res = new ConfigResource(ResourceType.TOPIC, t, { 'retention.ms': '7200000' });
    await allOf(admin.alterConfigs([res]));
    const entries = (await admin.describeConfigs([res], { includeSynonyms: true }).get(res))!;
    expect(entries.get('retention.ms')).toMatchObject({ value: '7200000', source: ConfigSource.DYNAMIC_TOPIC_CONFIG, isDefault: false });
    expect(entries.get('retention.ms')!.synonyms.length).toBeGreaterThan(0);
    const invalid = new ConfigResource(ResourceType.TOPIC, t, { 'retention.ms': 'forever' });
    const missing = new ConfigResource(ResourceType.TOPIC, uniqueTopic('adm-nocfg'));
    const results = admin.alterConfigs([invalid]);
    expect((await rejectionOf(results.get(invalid))).code).toBe(ErrorCode.INVALID_CONFIG);
    expect((await rejectionOf(admin.describeConfigs([missing]).get(missing))).code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PART);
    const broker = new ConfigResource(ResourceType.BROKER, '1');
    expect((await admin.describeConfigs([broker]).get(broker))!.get('log.retention.hours')?.value).toBe('168');
  });

  it('incrementally alters configs through kafka-ts', async () => {
    const t = uniqueTopic('adm-inc');
    created.push(t);
    await allOf(admin.createTopics([new NewTopic(t, { numPartitions: 1, config: { 'cleanup.policy': 'delete' } })]));
    await visible(admin, [t]);
    const res = new ConfigResource(ResourceType.TOPIC, t)
      .addIncrementalConfig(new ConfigEntry('cleanup.policy', 'compact', { incrementalOperation: AlterConfigOpType.APPEND }))
      .addIncrementalConfig(new ConfigEntry('retention.ms', '60000'));
    await allOf(admin.incrementalAlterConfigs([res]));
    const entries = (await admin.describeConfigs([res]).get(res))!;
    expect(entries.get('cleanup.policy')?.value).toBe('delete,compact');
    expect(entries.get('retention.ms')?.value).toBe('60000');
  });
});
