import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ErrorCode, KafkaException } from '../errors/index.js';
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
  readonly #logger = new Logger(RdKafkaAdminService.name);

  /**
   * @param config librdkafka properties (see `AdminClientConfig`); any configuration librdkafka accepts
   */
  constructor(@Inject(RDKAFKA_ADMIN_CONFIG) config: AdminClientConfig) {
    super(config, { logger: new Logger(RdKafkaAdminService.name) });
  }

  /**
   * Connects, so a wrong address fails the application's start rather than its first admin call. A security
   * setting the admin's JavaScript backends cannot speak (GSSAPI, OAUTHBEARER) does not stop the application:
   * the Kafka clients use librdkafka, and the admin operations that need those backends reject when called.
   */
  async onModuleInit(): Promise<void> {
    try {
      await this.connect();
    } catch (e) {
      if (!(e instanceof KafkaException && e.code === ErrorCode._UNSUPPORTED_FEATURE)) throw e;
      this.#logger.warn(`Admin operations served by kafkajs/kafka-ts will fail: ${e.error.reason}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
