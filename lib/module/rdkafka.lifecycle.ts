import type { LoggerService, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AdminClient } from '../admin/admin-client.js';
import type { ClientRdKafka } from '../transport/client/client-rdkafka.js';
import type { RdKafkaMetrics } from '../observability/metrics/rdkafka-metrics.js';
import { LOG_CONTEXT } from './rdkafka.constants.js';
import type { RdKafkaClientMonitor } from './rdkafka-client.monitor.js';
import type { ResolvedRdKafkaOptions } from './rdkafka-options.resolver.js';
import { ModuleTopicAdmin } from './topic-admin.js';
import { failureTopicsOf } from './failure-topics.js';
import { provisionTopics, type TopicProvisioningReport } from './topic-provisioner.js';

/**
 * Bootstrap and shutdown of one module instance beyond what its services do themselves: declared topics are
 * provisioned on init (before any server subscribes, since servers listen after the application's init); the
 * module's `ClientRdKafka` is closed on application shutdown. Nest closes microservice servers (stop fetching,
 * drain, commit, leave the group) before `onApplicationShutdown`, so handlers finishing during the drain can
 * still use the producer service and the client; the producer service flushes in its own shutdown hook.
 * @internal
 */
export class RdKafkaLifecycle implements OnModuleInit, OnApplicationShutdown {
  #report: TopicProvisioningReport | null = null;

  constructor(
    private readonly options: ResolvedRdKafkaOptions,
    private readonly monitor: RdKafkaClientMonitor,
    private readonly admin: AdminClient,
    private readonly client: ClientRdKafka,
    private readonly logger: LoggerService,
    private readonly metrics: RdKafkaMetrics | null = null,
  ) {}

  /** What topic provisioning did; null before init. */
  get topicReport(): TopicProvisioningReport | null {
    return this.#report;
  }

  async onModuleInit(): Promise<void> {
    // Exported while the application runs (the producer service's statistics too, with no server or client).
    this.metrics?.start();
    if (this.options.topics.length === 0) {
      this.#report = { created: [], existing: [], differences: [] };
      return;
    }
    const topics = new ModuleTopicAdmin(this.options, this.admin, this.logger);
    try {
      const declared = await provisionTopics(topics, this.options.topics, this.logger, LOG_CONTEXT.module);
      // Retry and dead-letter topics take their source's partition count, known once the sources exist.
      const derived = await failureTopicSpecs(topics, this.options);
      const more = await provisionTopics(topics, derived, this.logger, LOG_CONTEXT.module);
      this.#report = {
        created: [...declared.created, ...more.created],
        existing: [...declared.existing, ...more.existing],
        differences: [...declared.differences, ...more.differences],
      };
    } finally {
      await topics.close();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const ms = this.options.shutdownTimeoutMs;
    const closed = await Promise.race([
      this.client.close().then(
        () => true,
        (err: unknown) => {
          this.logger.error(`ClientRdKafka close failed: ${String(err)}`, undefined, LOG_CONTEXT.module);
          return true;
        },
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref()),
    ]);
    if (!closed) this.logger.warn(`ClientRdKafka did not close within ${ms} ms`, LOG_CONTEXT.module);
    this.monitor.dispose();
    this.metrics?.stop();
  }
}

/** The retry and dead-letter topics to provision (none unless the module's server sends records there). */
async function failureTopicSpecs(admin: ModuleTopicAdmin, options: ResolvedRdKafkaOptions) {
  const none = failureTopicsOf(options.server, options.topics, new Map());
  if (none.length === 0) return none;
  return failureTopicsOf(options.server, options.topics, await admin.describe(options.topics.map((t) => t.name)));
}
