import { Test, type TestingModule } from '@nestjs/testing';
import { ErrorCode } from '../../lib/index.js';
import { NewTopic, RDKAFKA_ADMIN_CONFIG, RdKafkaAdminService } from '../../lib/admin/index.js';
import { allOf } from './helpers/admin-env.js';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';

describe('RdKafkaAdminService in a Nest module', () => {
  it('is injected with its config token, connects on init, serves operations and closes on shutdown', async () => {
    const moduleRef: TestingModule = await Test.createTestingModule({
      providers: [{ provide: RDKAFKA_ADMIN_CONFIG, useValue: { 'bootstrap.servers': bootstrapServers() } }, RdKafkaAdminService],
    }).compile();
    moduleRef.enableShutdownHooks();
    await moduleRef.init();
    const admin = moduleRef.get(RdKafkaAdminService);
    const topic = uniqueTopic('adm-svc');
    await allOf(admin.createTopics([new NewTopic(topic, { numPartitions: 1 })]));
    expect((await admin.describeCluster()).nodes).toHaveLength(1);
    await allOf(admin.deleteTopics([topic]));
    await moduleRef.close();
    await expect(admin.describeCluster()).rejects.toMatchObject({ code: ErrorCode._STATE });
  });

  it('fails the module start when no broker answers', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        {
          provide: RDKAFKA_ADMIN_CONFIG,
          useValue: { 'bootstrap.servers': '127.0.0.1:1', 'socket.connection.setup.timeout.ms': 500, 'request.timeout.ms': 2000 },
        },
        RdKafkaAdminService,
      ],
    }).compile();
    await expect(moduleRef.init()).rejects.toBeDefined();
    await moduleRef.close();
  });
});
