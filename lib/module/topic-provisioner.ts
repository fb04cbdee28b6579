import type { LoggerService } from '@nestjs/common';
import { ErrorCode, KafkaException } from '../errors/index.js';
import type { RdKafkaTopicOptions } from './interfaces/rdkafka-module-options.interface.js';
import type { ExistingTopic, TopicProvisioningAdmin } from './topic-admin.js';
import { TopicProvisioningError } from './topic-provisioning.error.js';

/** What provisioning found and did, per topic. @publicApi */
export interface TopicProvisioningReport {
  /** Topics that were missing and are now created. */
  readonly created: readonly string[];
  /** Topics that existed already. */
  readonly existing: readonly string[];
  /** Differences between existing topics and their declaration (logged as warnings, never applied). */
  readonly differences: readonly TopicDifference[];
}

/** One way an existing topic differs from its declaration. @publicApi */
export interface TopicDifference {
  readonly topic: string;
  /** `numPartitions`, `replicationFactor` or a config name. */
  readonly property: string;
  readonly declared: string | number;
  /** null when the broker did not report a value. */
  readonly actual: string | number | null;
}

/**
 * Creates the declared topics that are missing and compares the others with their declaration: partition
 * count, replication factor and the declared configs. Nothing existing is changed: a difference is reported.
 * A config comparison the admin cannot make with this security setting (kafkajs speaks neither GSSAPI nor
 * OAUTHBEARER) is skipped with a warning: it only ever reports.
 * @param admin the cluster, through librdkafka (see ModuleTopicAdmin)
 * @param topics the declared topics
 * @param logger receives one warning per difference
 * @returns what was created, what existed and how existing topics differ
 * @throws TopicProvisioningError when a missing topic cannot be created or the topics cannot be described
 * @internal
 */
export async function provisionTopics(
  admin: TopicProvisioningAdmin,
  topics: readonly RdKafkaTopicOptions[],
  logger: LoggerService,
  context: string,
): Promise<TopicProvisioningReport> {
  if (topics.length === 0) return { created: [], existing: [], differences: [] };
  const found = await describe(
    admin,
    topics.map((t) => t.name),
  );
  const created: string[] = [];
  const existing: { spec: RdKafkaTopicOptions; topic: ExistingTopic }[] = [];
  await Promise.all(
    topics.map(async (spec) => {
      const topic = found.get(spec.name);
      if (topic) existing.push({ spec, topic });
      else if (await createTopic(admin, spec)) created.push(spec.name);
      else existing.push({ spec, topic: (await describe(admin, [spec.name])).get(spec.name) ?? { partitions: 0, replicas: null } });
    }),
  );
  const differences = (await Promise.all(existing.map(({ spec, topic }) => compare(admin, spec, topic, logger, context)))).flat();
  for (const d of differences) {
    logger.warn(
      `Topic ${d.topic} differs from its declaration: ${d.property} is ${String(d.actual)}, declared ${d.declared} (not changed)`,
      context,
    );
  }
  if (created.length > 0) logger.log(`Created topics: ${created.join(', ')}`, context);
  return { created, existing: existing.map((e) => e.spec.name), differences };
}

async function describe(admin: TopicProvisioningAdmin, names: readonly string[]): Promise<Map<string, ExistingTopic>> {
  try {
    return await admin.describe(names);
  } catch (err) {
    throw new TopicProvisioningError(names.join(', '), 'describe', err);
  }
}

/** @returns true when created, false when another instance created it first */
async function createTopic(admin: TopicProvisioningAdmin, spec: RdKafkaTopicOptions): Promise<boolean> {
  try {
    await admin.create(spec);
    return true;
  } catch (err) {
    if (err instanceof KafkaException && err.code === ErrorCode.TOPIC_ALREADY_EXISTS) return false;
    throw new TopicProvisioningError(spec.name, 'create', err);
  }
}

async function compare(
  admin: TopicProvisioningAdmin,
  spec: RdKafkaTopicOptions,
  found: ExistingTopic,
  logger: LoggerService,
  context: string,
): Promise<TopicDifference[]> {
  const out: TopicDifference[] = [];
  const topic = spec.name;
  if (spec.numPartitions !== undefined && spec.numPartitions !== -1 && spec.numPartitions !== found.partitions) {
    out.push({ topic, property: 'numPartitions', declared: spec.numPartitions, actual: found.partitions });
  }
  if (spec.replicationFactor !== undefined && spec.replicationFactor !== -1 && spec.replicationFactor !== found.replicas) {
    out.push({ topic, property: 'replicationFactor', declared: spec.replicationFactor, actual: found.replicas });
  }
  const declared = Object.entries(spec.config ?? {});
  if (declared.length === 0) return out;
  let actual: Map<string, string | null>;
  try {
    actual = await admin.configs(topic);
  } catch (err) {
    if (!(err instanceof KafkaException && err.code === ErrorCode._UNSUPPORTED_FEATURE))
      throw new TopicProvisioningError(topic, 'describe', err);
    logger.warn(`Topic ${topic}: declared configs not compared: ${err.error.reason}`, context);
    return out;
  }
  for (const [name, value] of declared) {
    const now = actual.get(name) ?? null;
    if (now !== value) out.push({ topic, property: name, declared: value, actual: now });
  }
  return out;
}
