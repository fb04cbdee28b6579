import type { LoggerService } from '@nestjs/common';
import type { AdminClient } from '../admin/admin-client.js';
import { ADMIN_DEFAULTS } from '../admin/admin.constants.js';
import { adminPropertiesOf } from '../admin/admin-properties.js';
import { ResourceType } from '../admin/admin.enums.js';
import { NativeTopicAdmin } from '../admin/backend/native-topics.backend.js';
import { ConfigResource } from '../admin/types/config-resource.js';
import { Producer } from '../client/producer.js';
import type { NativeValue } from '../client/config/index.js';
import { LOG_CONTEXT } from './rdkafka.constants.js';
import { adminConfigOf, type ResolvedRdKafkaOptions } from './rdkafka-options.resolver.js';
import type { RdKafkaTopicOptions } from './interfaces/rdkafka-module-options.interface.js';

/** An existing topic as provisioning compares it. @internal */
export interface ExistingTopic {
  readonly partitions: number;
  /** The first partition's replica count; null when the broker reported no partition. */
  readonly replicas: number | null;
}

/** What topic provisioning needs from the cluster. @internal */
export interface TopicProvisioningAdmin {
  /** The declared topics that exist, by name. */
  describe(names: readonly string[]): Promise<Map<string, ExistingTopic>>;
  /** Creates a topic. @throws KafkaException, `TOPIC_ALREADY_EXISTS` when another instance was first */
  create(spec: RdKafkaTopicOptions): Promise<void>;
  /** A topic's config values by name. */
  configs(topic: string): Promise<Map<string, string | null>>;
  close(): Promise<void>;
}

/**
 * Provisioning through librdkafka, so it works with every security setting librdkafka accepts: metadata from
 * a short-lived producer, creation through librdkafka's CreateTopics. Only the config comparison needs the
 * admin service (DescribeConfigs is not bound by node-rdkafka 3.6).
 * @internal
 */
export class ModuleTopicAdmin implements TopicProvisioningAdmin {
  readonly #config: Record<string, NativeValue>;
  readonly #options: ResolvedRdKafkaOptions;
  readonly #admin: AdminClient;
  readonly #native: NativeTopicAdmin;
  readonly #timeoutMs = ADMIN_DEFAULTS.operationTimeoutMs;

  constructor(options: ResolvedRdKafkaOptions, admin: AdminClient, logger: LoggerService) {
    // librdkafka's debug lines of these short-lived clients would go to stderr: they have no logger.
    const { debug: _debug, oauth_cb: _oauth, ...plain } = adminPropertiesOf(adminConfigOf(options)) as Record<string, NativeValue>;
    this.#config = plain;
    this.#options = options;
    this.#admin = admin;
    this.#native = new NativeTopicAdmin(plain, options.client.oauth_cb, (e) =>
      logger.warn(`Topic provisioning: ${e.toString()}`, LOG_CONTEXT.module),
    );
  }

  async describe(names: readonly string[]): Promise<Map<string, ExistingTopic>> {
    const producer = new Producer({ ...this.#config, oauth_cb: this.#options.client.oauth_cb });
    try {
      await producer.connect(this.#timeoutMs);
      // All topics: asking for named ones could auto-create them (allow.auto.create.topics is a producer default).
      const metadata = await producer.listTopics(undefined, this.#timeoutMs);
      const out = new Map<string, ExistingTopic>();
      for (const name of names) {
        const t = metadata.topics.get(name);
        if (t && t.partitions.size > 0)
          out.set(name, { partitions: t.partitions.size, replicas: t.partitions.get(0)?.replicas.length ?? null });
      }
      return out;
    } finally {
      await producer.close(1000);
    }
  }

  async create(spec: RdKafkaTopicOptions): Promise<void> {
    await this.#native.createTopic(
      {
        topic: spec.name,
        numPartitions: spec.numPartitions ?? -1,
        replicationFactor: spec.replicationFactor ?? -1,
        config: spec.config ?? {},
      },
      this.#timeoutMs,
    );
  }

  async configs(topic: string): Promise<Map<string, string | null>> {
    const resource = new ConfigResource(ResourceType.TOPIC, topic);
    const entries = await this.#admin.describeConfigs([resource]).get(resource)!;
    return new Map([...entries].map(([name, entry]) => [name, entry.value ?? null]));
  }

  async close(): Promise<void> {
    await this.#native.close();
  }
}
