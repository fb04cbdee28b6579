import type { INestMicroservice, LoggerService, LogLevel, Type } from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { ClientRdKafka } from '../../../lib/index.js';
import { bootstrapServers } from './kafka-env.js';

/**
 * A Nest microservice serving `module`'s controllers through `strategy`, listening.
 * @param logger Nest's own logger setting for the app (`false`, levels or a logger); Nest's default when omitted
 */
export async function listeningMicroservice(
  module: Type,
  strategy: CustomTransportStrategy,
  logger?: LoggerService | LogLevel[] | false,
): Promise<INestMicroservice> {
  const compiled = await Test.createTestingModule({ imports: [module] }).compile();
  const app = compiled.createNestMicroservice(logger === undefined ? { strategy } : { strategy, logger });
  await app.listen();
  return app;
}

/** A connected `ClientRdKafka` on the test broker. */
export async function connectedClient(requestTimeoutMs = 15_000): Promise<ClientRdKafka> {
  const client = new ClientRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, requestTimeoutMs });
  await client.connect();
  return client;
}
