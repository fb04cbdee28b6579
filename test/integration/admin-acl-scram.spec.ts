import { randomUUID } from 'node:crypto';
import { loadNative } from '../../lib/client/native/load-native.js';
import { ErrorCode, TopicPartition } from '../../lib/index.js';
import {
  AclBinding,
  AclBindingFilter,
  AclOperation,
  AclPermissionType,
  AdminClient,
  ElectionType,
  NewTopic,
  ResourcePatternType,
  ResourceType,
  ScramMechanism,
  UserScramCredentialAlteration,
  settleResults,
} from '../../lib/admin/index.js';
import { allOf, rejectionOf, saslBootstrapServers } from './helpers/admin-env.js';
import { uniqueTopic } from './helpers/kafka-env.js';

/** Connects a node-rdkafka producer over SASL/SCRAM and asks for metadata: resolves on success. */
async function authenticates(username: string, password: string): Promise<boolean> {
  const { Producer } = loadNative();
  const p = new Producer({
    'bootstrap.servers': saslBootstrapServers(),
    'security.protocol': 'sasl_plaintext',
    'sasl.mechanisms': 'SCRAM-SHA-256',
    'sasl.username': username,
    'sasl.password': password,
    'socket.timeout.ms': 3000,
  });
  const ok = await new Promise<boolean>((resolve) => p.connect({ timeout: 3000 }, (err) => resolve(!err)));
  // node-rdkafka tears a client down itself when connect fails; only a connected one needs disconnect().
  if (ok) await new Promise<void>((resolve) => p.disconnect(() => resolve()));
  return ok;
}

describe('AdminClient over SASL/SCRAM: ACLs, SCRAM credentials and leader election', () => {
  let admin: AdminClient;
  const topic = uniqueTopic('adm-acl');

  beforeAll(async () => {
    admin = new AdminClient({
      'bootstrap.servers': saslBootstrapServers(),
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'admin',
      'sasl.password': 'admin-secret',
    });
    await allOf(admin.createTopics([new NewTopic(topic, { numPartitions: 1 })]));
  });

  afterAll(async () => {
    await settleResults(admin.deleteTopics([topic]));
    await admin.close();
  });

  it('creates, describes and deletes ACLs, and fails an invalid binding alone', async () => {
    const principal = `User:acl-${randomUUID()}`;
    const fields = { restype: ResourceType.TOPIC, name: topic, resourcePatternType: ResourcePatternType.LITERAL, principal, host: '*' };
    const read = new AclBinding({ ...fields, operation: AclOperation.READ, permissionType: AclPermissionType.ALLOW });
    const write = new AclBinding({ ...fields, operation: AclOperation.WRITE, permissionType: AclPermissionType.DENY });
    const invalid = new AclBinding({
      ...fields,
      principal: 'no-type-prefix',
      operation: AclOperation.READ,
      permissionType: AclPermissionType.ALLOW,
    });
    const created = admin.createAcls([read, write, invalid]);
    await expect(created.get(read)).resolves.toBeUndefined();
    await expect(created.get(write)).resolves.toBeUndefined();
    const err = await rejectionOf(created.get(invalid));
    expect(err.code).toBeGreaterThan(0);
    const filter = new AclBindingFilter({ ...fields, operation: AclOperation.ANY, permissionType: AclPermissionType.ANY });
    const described = await admin.describeAcls(filter);
    expect(described.map((b) => b.toString()).sort()).toEqual([read.toString(), write.toString()].sort());
    const deleted = admin.deleteAcls([
      new AclBindingFilter({ ...fields, operation: AclOperation.WRITE, permissionType: AclPermissionType.ANY }),
    ]);
    expect((await [...deleted.values()][0])!.map(String)).toEqual([write.toString()]);
    expect((await admin.describeAcls(filter)).map(String)).toEqual([read.toString()]);
    await allOf(admin.deleteAcls([filter]));
    expect(await admin.describeAcls(filter)).toEqual([]);
  });

  it('upserts a SCRAM credential that then authenticates, describes it, and deletes it', async () => {
    const user = `scram-${randomUUID().slice(0, 8)}`;
    const upsert = UserScramCredentialAlteration.upsertion(user, { mechanism: ScramMechanism.SCRAM_SHA_256, iterations: 8192 }, 's3cret!');
    expect(await authenticates(user, 's3cret!')).toBe(false);
    await allOf(admin.alterUserScramCredentials([upsert]));
    const mine = await admin.describeUserScramCredentials([user, 'alice']).get(user);
    expect(mine).toEqual({ user, scramCredentialInfos: [{ mechanism: ScramMechanism.SCRAM_SHA_256, iterations: 8192 }] });
    expect((await admin.describeUserScramCredentials()).has('admin')).toBe(true);
    expect(await authenticates(user, 's3cret!')).toBe(true);
    expect(await authenticates(user, 'wrong')).toBe(false);
    const tooFew = UserScramCredentialAlteration.upsertion(`${user}-x`, { mechanism: ScramMechanism.SCRAM_SHA_512, iterations: 10 }, 'p');
    const results = admin.alterUserScramCredentials([UserScramCredentialAlteration.deletion(user, ScramMechanism.SCRAM_SHA_256), tooFew]);
    await expect(results.get(user)).resolves.toBeUndefined();
    expect((await rejectionOf(results.get(`${user}-x`))).code).toBe(ErrorCode.UNACCEPTABLE_CREDENTIAL);
    expect((await rejectionOf(admin.describeUserScramCredentials([user]).get(user))).code).toBe(ErrorCode.RESOURCE_NOT_FOUND);
  });

  it('elects leaders, reporting ELECTION_NOT_NEEDED and unknown partitions per partition', async () => {
    const tps = [new TopicPartition(topic, 0), new TopicPartition(topic, 5)];
    const outcome = await admin.electLeaders(ElectionType.PREFERRED, tps);
    const byPartition = new Map(outcome.map((tp) => [tp.partition, tp.error?.code]));
    expect(byPartition.get(0)).toBe(ErrorCode.ELECTION_NOT_NEEDED);
    expect(byPartition.get(5)).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PART);
  });
});
