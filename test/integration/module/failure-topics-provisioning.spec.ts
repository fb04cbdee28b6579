import { randomUUID } from 'node:crypto';
import { type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RdKafkaModule } from '../../../lib/index.js';
import { NewTopic, RdKafkaAdminService, settleResults } from '../../../lib/admin/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';

const RUN = randomUUID().slice(0, 8);
const T = { fresh: `prov-fresh-${RUN}`, existing: `prov-existing-${RUN}` };

describe('topic provisioning of retry and dead-letter topics (real broker)', () => {
  let app: INestApplication | undefined;
  const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
  const created = [T.fresh, T.existing].flatMap((t) => [t, `${t}.dlt`, `${t}.retry.1`, `${t}.retry.2`]);

  afterAll(async () => {
    await app?.close();
    await settleResults(admin.deleteTopics(created)).catch(() => undefined);
    await admin.close();
  });

  it("creates each declared topic's retry and dead-letter topics with the source's partition count", async () => {
    // Exists with 2 partitions though declared with 4: its retry and dead-letter topics follow the cluster.
    await settleResults(admin.createTopics([new NewTopic(T.existing, { numPartitions: 2, replicationFactor: 1 })]));

    @Module({
      imports: [
        RdKafkaModule.forRoot({
          client: { 'bootstrap.servers': bootstrapServers() },
          topics: [
            { name: T.fresh, numPartitions: 3 },
            { name: T.existing, numPartitions: 4 },
          ],
          server: { retryTopics: { delaysMs: [1000, 2000] } },
        }),
      ],
    })
    class AppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();

    const partitions = async (topic: string): Promise<number> => (await admin.describeTopics([topic]).get(topic)!).partitions.length;
    for (const suffix of ['.dlt', '.retry.1', '.retry.2']) {
      expect([suffix, await partitions(`${T.fresh}${suffix}`)]).toEqual([suffix, 3]);
      expect([suffix, await partitions(`${T.existing}${suffix}`)]).toEqual([suffix, 2]);
    }
  });
});
