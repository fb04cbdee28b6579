// A server whose principal may not read its topic or use its group: the refusal is named (topic, group, ACL
// error) in the log, in `status` and in health. Runs on the broker's SCRAM listener, where an authorizer applies.
import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { firstValueFrom, filter, timeout } from 'rxjs';
import { getRdKafkaServerToken, Producer, RdKafkaModule, RdKafkaStatus, ServerRdKafka } from '../../../lib/index.js';
import {
  AclBinding,
  AclOperation,
  AclPermissionType,
  AdminClient,
  NewTopic,
  ResourcePatternType,
  ResourceType,
  settleResults,
} from '../../../lib/admin/index.js';
import { RdKafkaHealthIndicator } from '../../../lib/health/index.js';
import { allOf, saslBootstrapServers } from '../helpers/admin-env.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const TOPIC = `acl-denied-${RUN}`;
const GROUP_TOPIC = `acl-group-${RUN}`;
const scram = (user: string, password: string) => ({
  'bootstrap.servers': saslBootstrapServers(),
  'security.protocol': 'sasl_plaintext' as const,
  'sasl.mechanisms': 'SCRAM-SHA-512',
  'sasl.username': user,
  'sasl.password': password,
});
const handled: unknown[] = [];

/** An ACL for `principal` on a topic or group. */
function allow(restype: ResourceType, name: string, principal: string, operation: AclOperation): AclBinding {
  return new AclBinding({
    restype,
    name,
    resourcePatternType: ResourcePatternType.LITERAL,
    principal,
    host: '*',
    operation,
    permissionType: AclPermissionType.ALLOW,
  });
}

/** Starts an app as alice whose server reads `topic` in group `group`. */
async function startAsAlice(topic: string, group: string, logger: CaptureLogger): Promise<INestApplication> {
  @Controller()
  class ReadController {
    @EventPattern<string>(topic)
    read(@Payload() v: unknown): void {
      handled.push(v);
    }
  }
  @Module({
    imports: [
      RdKafkaModule.forRoot({
        // Metadata refreshed every second, so a granted ACL is noticed soon.
        client: { ...scram('alice', 'alice-secret'), 'topic.metadata.refresh.interval.ms': 1000 },
        consumer: { 'group.id': group },
        server: { closeTimeoutMs: 1000, postfixId: '' },
        logger,
      }),
    ],
    controllers: [ReadController],
  })
  class AliceModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AliceModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.connectMicroservice({ strategy: app.get<ServerRdKafka>(getRdKafkaServerToken()) });
  await app.init();
  await app.startAllMicroservices();
  return app;
}

function statusBecomes(server: ServerRdKafka, status: RdKafkaStatus, ms: number): Promise<RdKafkaStatus> {
  return firstValueFrom(
    server.status.pipe(
      filter((s) => s === status),
      timeout(ms),
    ),
  );
}

describe('a server without permission on its topic or group (SCRAM, ACLs)', () => {
  let admin: AdminClient;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    admin = new AdminClient(scram('admin', 'admin-secret'));
    await allOf(admin.createTopics([new NewTopic(TOPIC, { numPartitions: 1 }), new NewTopic(GROUP_TOPIC, { numPartitions: 1 })]));
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await settleResults(admin.deleteTopics([TOPIC, GROUP_TOPIC]));
    await admin.close();
  });

  it('names the topic and TOPIC_AUTHORIZATION_FAILED, turns `unauthorized` and health down, and recovers once READ is granted', async () => {
    // An ACL naming the topic (for bob), so the broker's allow-if-no-ACL rule no longer lets alice in.
    await allOf(admin.createAcls([allow(ResourceType.TOPIC, TOPIC, 'User:bob', AclOperation.READ)]));
    const logger = new CaptureLogger();
    const group = `acl-topic-${RUN}`;
    const t0 = Date.now();
    const app = await startAsAlice(TOPIC, group, logger);
    apps.push(app);
    const server = app.get<ServerRdKafka>(getRdKafkaServerToken());
    await statusBecomes(server, RdKafkaStatus.UNAUTHORIZED, 20_000);
    const denied = logger
      .of('error', 'ServerRdKafka')
      .map((l) => l.message)
      .filter((m) => m.includes('Not authorized'));
    console.log(`unauthorized after ${Date.now() - t0} ms; logged: ${denied.join(' | ')}`);
    expect(denied).toEqual([
      `Not authorized to read topic ${TOPIC} (consumer group "${group}"): TOPIC_AUTHORIZATION_FAILED (Broker: Topic authorization failed). Nothing is consumed from it until an ACL grants this principal READ and DESCRIBE on it.`,
    ]);
    expect(server.statusReason).toBe(denied[0]);
    const report = await app.get(RdKafkaHealthIndicator).report();
    expect(report.healthy).toBe(false);
    expect(report.problems).toContain(`server unauthorized: ${denied[0]}`);

    await allOf(
      admin.createAcls([
        allow(ResourceType.TOPIC, TOPIC, 'User:alice', AclOperation.READ),
        allow(ResourceType.TOPIC, TOPIC, 'User:alice', AclOperation.DESCRIBE),
      ]),
    );
    const granted = Date.now();
    const connected = statusBecomes(server, RdKafkaStatus.CONNECTED, 60_000);
    // alice may write where no ACL names the resource, but this topic now has ACLs: the record comes from admin.
    const producer = new Producer(scram('admin', 'admin-secret'));
    await producer.connect();
    await producer.produceAsync(TOPIC, { value: JSON.stringify({ ok: 1 }) });
    await producer.close();
    await connected;
    console.log(`connected again ${Date.now() - granted} ms after READ was granted`);
    await waitFor(() => handled.length > 0, 10_000, 'the record');
    expect(handled).toEqual([{ ok: 1 }]);
    expect(server.statusReason).toBeNull();
  });

  it('names the group and GROUP_AUTHORIZATION_FAILED when the group is refused', async () => {
    const group = `acl-group-${RUN}`;
    await allOf(admin.createAcls([allow(ResourceType.GROUP, group, 'User:bob', AclOperation.READ)]));
    const logger = new CaptureLogger();
    const app = await startAsAlice(GROUP_TOPIC, group, logger);
    apps.push(app);
    const server = app.get<ServerRdKafka>(getRdKafkaServerToken());
    await statusBecomes(server, RdKafkaStatus.UNAUTHORIZED, 20_000);
    expect(server.statusReason).toBe(
      `Not authorized to use consumer group "${group}" (topics ${GROUP_TOPIC}): GROUP_AUTHORIZATION_FAILED (Broker: Group authorization failed). Nothing is consumed until an ACL grants this principal READ on the group.`,
    );
    expect((await app.get(RdKafkaHealthIndicator).report()).problems).toContain(`server unauthorized: ${server.statusReason}`);
  });
});
