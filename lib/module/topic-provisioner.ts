import type { LoggerService } from '@nestjs/common';
import type { AdminClient } from '../admin/admin-client.js';
import { ResourceType } from '../admin/admin.enums.js';
import { ConfigResource } from '../admin/types/config-resource.js';
import type { TopicDescription } from '../admin/types/admin-results.interface.js';
import { NewTopic } from '../admin/types/new-topic.js';
import { ErrorCode, KafkaException } from '../errors/index.js';
import type { RdKafkaTopicOptions } from './interfaces/rdkafka-module-options.interface.js';
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
 * @param admin the module's admin client
 * @param topics the declared topics
 * @param logger receives one warning per difference
 * @returns what was created, what existed and how existing topics differ
 * @throws TopicProvisioningError when a missing topic cannot be created or a topic cannot be described
 * @internal
 */
export async function provisionTopics(admin: AdminClient, topics: readonly RdKafkaTopicOptions[], logger: LoggerService, context: string): Promise<TopicProvisioningReport> {
  if (topics.length === 0) return { created: [], existing: [], differences: [] };
  const described = admin.describeTopics(topics.map((t) => t.name));
  const created: string[] = [];
  const existing: { spec: RdKafkaTopicOptions; description: TopicDescription }[] = [];
  await Promise.all(topics.map(async (spec) => {
    try {
      existing.push({ spec, description: await described.get(spec.name)! });
    } catch (err) {
      if (!isMissingTopic(err)) throw new TopicProvisioningError(spec.name, 'describe', err);
      if (await createTopic(admin, spec)) created.push(spec.name);
      else existing.push({ spec, description: await described.get(spec.name)! });
    }
  }));
  const differences = (await Promise.all(existing.map(({ spec, description }) => compare(admin, spec, description)))).flat();
  for (const d of differences) {
    logger.warn(`Topic ${d.topic} differs from its declaration: ${d.property} is ${String(d.actual)}, declared ${d.declared} (not changed)`, context);
  }
  if (created.length > 0) logger.log(`Created topics: ${created.join(', ')}`, context);
  return { created, existing: existing.map((e) => e.spec.name), differences };
}

/** @returns true when created, false when another instance created it first */
async function createTopic(admin: AdminClient, spec: RdKafkaTopicOptions): Promise<boolean> {
  const topic = new NewTopic(spec.name, { numPartitions: spec.numPartitions ?? -1, replicationFactor: spec.replicationFactor ?? -1, config: spec.config ?? null });
  try {
    await admin.createTopics([topic]).get(spec.name);
    return true;
  } catch (err) {
    if (err instanceof KafkaException && err.code === ErrorCode.TOPIC_ALREADY_EXISTS) return false;
    throw new TopicProvisioningError(spec.name, 'create', err);
  }
}

async function compare(admin: AdminClient, spec: RdKafkaTopicOptions, description: TopicDescription): Promise<TopicDifference[]> {
  const out: TopicDifference[] = [];
  const topic = spec.name;
  const partitions = description.partitions.length;
  if (spec.numPartitions !== undefined && spec.numPartitions !== -1 && spec.numPartitions !== partitions) {
    out.push({ topic, property: 'numPartitions', declared: spec.numPartitions, actual: partitions });
  }
  const replicas = description.partitions[0]?.replicas.length ?? null;
  if (spec.replicationFactor !== undefined && spec.replicationFactor !== -1 && spec.replicationFactor !== replicas) {
    out.push({ topic, property: 'replicationFactor', declared: spec.replicationFactor, actual: replicas });
  }
  const declared = Object.entries(spec.config ?? {});
  if (declared.length === 0) return out;
  const resource = new ConfigResource(ResourceType.TOPIC, topic);
  let entries;
  try {
    entries = await admin.describeConfigs([resource]).get(resource)!;
  } catch (err) {
    throw new TopicProvisioningError(topic, 'describe', err);
  }
  for (const [name, value] of declared) {
    const actual = entries.get(name)?.value ?? null;
    if (actual !== value) out.push({ topic, property: name, declared: value, actual });
  }
  return out;
}

function isMissingTopic(err: unknown): boolean {
  return err instanceof KafkaException && err.code === ErrorCode.UNKNOWN_TOPIC_OR_PART;
}
