import { type INestApplication, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getRdKafkaServerToken, type ServerRdKafka } from 'nest-rdkafka';
import { AppModule } from './app.module.js';

/**
 * Creates the sample application: HTTP plus the module's Kafka server as a connected microservice, with
 * shutdown hooks (SIGTERM: stop fetching, drain handlers, commit, leave the group, flush the producer).
 * Topics are provisioned by `init()`, before the server subscribes. Not listening on HTTP yet.
 */
export async function createSampleApp(logger?: LoggerService | LogLevel[] | false): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, logger === undefined ? {} : { logger });
  app.enableShutdownHooks();
  app.connectMicroservice({ strategy: app.get<ServerRdKafka>(getRdKafkaServerToken()) });
  await app.init();
  await app.startAllMicroservices();
  return app;
}
