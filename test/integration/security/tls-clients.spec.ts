import { randomUUID } from 'node:crypto';
import { Consumer, Producer, TopicPartition } from '../../../lib/index.js';
import { AdminClient, ConfigEntry, ConfigResource, NewTopic, OffsetSpec, ResourceType, settleResults } from '../../../lib/admin/index.js';
import { waitFor } from '../helpers/admin-env.js';
import { uniqueTopic } from '../helpers/kafka-env.js';
import { combinationsTable, TLS_MATRIX, tlsConfig, type TlsCombination, type TlsListener, type TlsMaterial } from '../helpers/tls-env.js';

const tested: TlsCombination[] = [];

/** Runs `body` and records the combination with its outcome, so the table shows failures too. */
async function combination(listener: TlsListener, material: TlsMaterial, client: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    tested.push({ listener, client, material, result: 'ok' });
  } catch (e) {
    tested.push({ listener, client, material, result: `FAILED: ${String(e).split('\n')[0].slice(0, 80)}` });
    throw e;
  }
}

afterAll(() => {
  console.log(`TLS combinations tested (Producer, Consumer, AdminClient):\n${combinationsTable(tested)}`);
});

describe.each(TLS_MATRIX)('TLS listener %s, certificates as %s (embedded broker)', (listener, material) => {
  it('Producer and Consumer: a record produced is consumed unchanged', async () => {
    await combination(listener, material, 'Producer + Consumer', async () => {
      const topic = uniqueTopic(`tls-${listener.toLowerCase()}-${material}`);
      const producer = new Producer({ ...tlsConfig(listener, material) });
      const consumer = new Consumer({
        ...tlsConfig(listener, material),
        'group.id': `tls-${randomUUID()}`,
        'auto.offset.reset': 'earliest',
      });
      try {
        await producer.connect(10_000);
        const report = await producer.produceAsync(topic, { key: Buffer.from('k'), value: Buffer.from(`over ${listener}`) });
        expect(report.offset).toBeGreaterThanOrEqual(0);
        await consumer.connect(10_000);
        consumer.subscribe([topic]);
        const values: string[] = [];
        for (let i = 0; i < 100 && values.length === 0; i++) {
          for (const m of await consumer.consumeBatch(10, 200)) if (!m.error) values.push(String(m.value));
        }
        expect(values).toEqual([`over ${listener}`]);
      } finally {
        await consumer.close();
        await producer.close();
      }
    });
  });

  it('AdminClient: every backend (kafkajs, kafka-ts, node-rdkafka) connects with the same TLS settings', async () => {
    await combination(listener, material, 'AdminClient (kafkajs, kafka-ts, node-rdkafka)', async () => {
      const topic = uniqueTopic(`tls-admin-${listener.toLowerCase()}-${material}`);
      const admin = new AdminClient({ ...tlsConfig(listener, material) });
      try {
        // kafkajs: CreateTopics and Metadata.
        await settleResults(admin.createTopics([new NewTopic(topic, { numPartitions: 2, replicationFactor: 1 })]));
        expect((await admin.listTopics()).topics.get(topic)?.partitions).toHaveLength(2);
        // kafka-ts: DescribeUserScramCredentials and IncrementalAlterConfigs.
        expect([...(await admin.describeUserScramCredentials()).keys()]).toEqual(expect.arrayContaining(['admin']));
        const resource = new ConfigResource(ResourceType.TOPIC, topic).addIncrementalConfig(new ConfigEntry('retention.ms', '7200000'));
        await settleResults(admin.incrementalAlterConfigs([resource]));
        // Any broker answers DescribeConfigs: in a cluster one may see the change a moment later.
        const described = new ConfigResource(ResourceType.TOPIC, topic);
        const retention = async () => (await admin.describeConfigs([described]).get(described)!).get('retention.ms')?.value;
        await waitFor(async () => (await retention()) === '7200000', 10_000);
        // node-rdkafka: ListOffsets.
        const tp = new TopicPartition(topic, 1);
        expect((await admin.listOffsets(new Map([[tp, OffsetSpec.latest()]])).get(tp)!).offset).toBe(0);
        await settleResults(admin.deleteTopics([topic]));
      } finally {
        await admin.close();
      }
    });
  });
});
