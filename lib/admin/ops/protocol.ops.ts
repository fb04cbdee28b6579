import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { TopicPartition } from '../../client/topic-partition.js';
import { KafkaError } from '../../errors/index.js';
import { brokerError } from '../admin-error.mapper.js';
import { ElectionType, ScramMechanism, assertEnum } from '../admin.enums.js';
import type { AdminOperationOptions } from '../admin-options.interface.js';
import { adminPromise, assertUniqueList, sharedResultMap, withTimeout, type AdminResults } from '../admin-results.util.js';
import type { KafkaTsAlterScramResponse, KafkaTsDescribeScramResponse, KafkaTsElectLeadersResponse } from '../backend/kafka-ts.types.js';
import { JsonMap } from '../json-friendly.js';
import type { UserScramCredentialsDescription } from '../types/admin-results.interface.js';
import { UserScramCredentialAlteration } from '../types/user-scram-credential-alteration.js';
import { operationTimeout, requestTimeout, type AdminBackends } from './admin-backends.js';

/** SCRAM's SaltedPassword (RFC 5802 Hi()): what the broker stores, so the password itself never travels. @internal */
export function saltedPassword(mechanism: ScramMechanism, password: Buffer, salt: Buffer, iterations: number): Buffer {
  const sha512 = mechanism === ScramMechanism.SCRAM_SHA_512;
  return pbkdf2Sync(password, salt, iterations, sha512 ? 64 : 32, sha512 ? 'sha512' : 'sha256');
}

function describeScram(b: AdminBackends, users: readonly string[] | null, timeoutMs: number): Promise<KafkaTsDescribeScramResponse> {
  const body = { users: users ? users.map((name) => ({ name })) : null };
  return withTimeout(
    (async () => {
      const answer = await b.kafkaTs.send<KafkaTsDescribeScramResponse>(
        'describeUserScramCredentials',
        'DESCRIBE_USER_SCRAM_CREDENTIALS',
        body,
      );
      const err = brokerError(answer.errorCode, answer.errorMessage);
      if (err) throw err;
      return answer;
    })(),
    timeoutMs,
    'describeUserScramCredentials',
  );
}

function toScramDescription(r: KafkaTsDescribeScramResponse['results'][number]): UserScramCredentialsDescription {
  return {
    user: r.user,
    scramCredentialInfos: r.credentialInfos.map((c) => ({ mechanism: c.mechanism as ScramMechanism, iterations: c.iterations })),
  };
}

/** describeUserScramCredentials for the named users: one result per user. @internal */
export function describeUserScramCredentialsOf(
  b: AdminBackends,
  users: readonly string[],
  options: AdminOperationOptions = {},
): AdminResults<string, UserScramCredentialsDescription> {
  assertUniqueList(users, 'describeUserScramCredentials', (u) => {
    if (typeof u !== 'string' || u === '') throw new TypeError('describeUserScramCredentials: user names must be non-empty strings');
    return u;
  });
  return sharedResultMap(users, describeScram(b, users, requestTimeout(b, options)), (answer, user) => {
    const r = answer.results.find((x) => x.user === user);
    const err = r ? brokerError(r.errorCode, r.errorMessage) : brokerError(91, `no SCRAM credential for ${user}`);
    if (err) throw err;
    return toScramDescription(r!);
  });
}

/** describeUserScramCredentials for every user that has credentials. @internal */
export function describeAllUserScramCredentials(
  b: AdminBackends,
  options: AdminOperationOptions = {},
): Promise<Map<string, UserScramCredentialsDescription>> {
  return adminPromise(
    describeScram(b, null, requestTimeout(b, options)).then((answer) => {
      const failed = answer.results.find((r) => r.errorCode !== 0);
      if (failed) throw brokerError(failed.errorCode, failed.errorMessage)!;
      return new JsonMap(answer.results.map((r) => [r.user, toScramDescription(r)] as const));
    }),
  );
}

/** alterUserScramCredentials: one result per user (a user may appear in several alterations). @internal */
export function alterUserScramCredentials(
  b: AdminBackends,
  alterations: readonly UserScramCredentialAlteration[],
  options: AdminOperationOptions = {},
): AdminResults<string, void> {
  assertUniqueList(alterations, 'alterUserScramCredentials', (a) => {
    if (!(a instanceof UserScramCredentialAlteration))
      throw new TypeError('alterUserScramCredentials: expected UserScramCredentialAlteration instances');
    return `${a.user}/${a.mechanism}`;
  });
  const upsertions = alterations
    .filter((a) => a.kind === 'upsertion')
    .map((a) => {
      const salt = a.salt ?? randomBytes(32);
      return {
        name: a.user,
        mechanism: a.mechanism,
        iterations: a.iterations,
        salt,
        saltedPassword: saltedPassword(a.mechanism, a.password!, salt, a.iterations),
      };
    });
  const deletions = alterations.filter((a) => a.kind === 'deletion').map((a) => ({ name: a.user, mechanism: a.mechanism }));
  const users = [...new Set(alterations.map((a) => a.user))];
  const shared = withTimeout(
    b.kafkaTs.send<KafkaTsAlterScramResponse>('alterUserScramCredentials', 'ALTER_USER_SCRAM_CREDENTIALS', { upsertions, deletions }),
    requestTimeout(b, options),
    'alterUserScramCredentials',
  );
  return sharedResultMap(users, shared, (answer, user) => {
    const r = answer.results.find((x) => x.user === user);
    const err = r ? brokerError(r.errorCode, r.errorMessage) : null;
    if (err) throw err;
  });
}

/**
 * electLeaders: per partition, null or the KafkaError the election ended with (e.g. ELECTION_NOT_NEEDED).
 * @param partitions null elects for every partition that needs it
 * @internal
 */
export function electLeaders(
  b: AdminBackends,
  electionType: ElectionType,
  partitions: readonly TopicPartition[] | null,
  options: AdminOperationOptions = {},
): Promise<TopicPartition[]> {
  assertEnum(ElectionType, electionType, 'electLeaders: electionType');
  if (partitions !== null) assertUniqueList(partitions, 'electLeaders', (tp) => `${tp.topic}[${tp.partition}]`);
  const byTopic = new Map<string, number[]>();
  for (const tp of partitions ?? []) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  const body = {
    electionType,
    topicPartitions: partitions === null ? null : [...byTopic].map(([topic, parts]) => ({ topic, partitions: parts })),
    timeoutMs: operationTimeout(options),
  };
  return adminPromise(
    withTimeout(
      (async () => {
        const answer = await b.kafkaTs.send<KafkaTsElectLeadersResponse>('electLeaders', 'ELECT_LEADERS', body);
        const err = brokerError(answer.errorCode);
        if (err) throw err;
        return answer.replicaElectionResults.flatMap((t) =>
          t.partitionResult.map(
            (p) =>
              new TopicPartition(t.topic, p.partitionId, undefined, {
                error: p.errorCode ? new KafkaError(p.errorCode, p.errorMessage || undefined) : null,
              }),
          ),
        );
      })(),
      requestTimeout(b, options),
      'electLeaders',
    ),
  );
}
