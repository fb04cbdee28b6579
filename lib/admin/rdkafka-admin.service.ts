import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RDKAFKA_ADMIN_CONFIG } from './admin.constants.js';
import { AdminClient } from './admin-client.js';
import type { AdminClientConfig } from './admin-options.interface.js';

/**
 * The admin client as an injectable Nest service: every `AdminClient` operation, connected when the module
 * initialises and closed on application shutdown. Its config comes from the `RDKAFKA_ADMIN_CONFIG` token;
 * outside Nest, construct it with a config object. The backends' warnings go to a Nest `Logger`.
 * @example
 * providers: [{ provide: RDKAFKA_ADMIN_CONFIG, useValue: { 'bootstrap.servers': 'localhost:9092' } }, RdKafkaAdminService]
 * @publicApi
 */
@Injectable()
export class RdKafkaAdminService extends AdminClient implements OnModuleInit, OnApplicationShutdown {
  /**
   * @param config librdkafka properties (see `AdminClientConfig`)
   * @throws ConfigException on a missing bootstrap.servers or an unsupported security setting
   */
  constructor(@Inject(RDKAFKA_ADMIN_CONFIG) config: AdminClientConfig) {
    super(config, { logger: new Logger(RdKafkaAdminService.name) });
  }

  /** Connects, so a wrong address fails the application's start rather than its first admin call. */
  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
