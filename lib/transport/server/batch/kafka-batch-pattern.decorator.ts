import { EventPattern, type Transport } from '@nestjs/microservices';
import type { KafkaBatchOptions } from './batch.options.js';

/**
 * `@EventPattern(topic, { batch: options })`: the handler gets the records of one partition as an array of
 * payloads, and an `RdKafkaBatchContext` with `@Ctx()`. Nest's pipeline (guards, interceptors, pipes, filters)
 * runs once per batch. Composes with Nest's own decorators: the same metadata, so `@Payload()` and `@Ctx()` work.
 * @param topic the topic (or RegExp) the handler serves
 * @param options bounds of a batch (see `KAFKA_BATCH_DEFAULTS`)
 * @param transport the transport id, as `@EventPattern(topic, transport)` (e.g. `getRdKafkaTransportId(name)`)
 * @example
 * @KafkaBatchPattern('orders', { maxRecords: 500, maxWaitMs: 50 })
 * async onOrders(@Payload() orders: Order[], @Ctx() ctx: RdKafkaBatchContext) {
 *   const results = await this.db.insertMany(orders);
 *   results.forEach((r, i) => r.ok || ctx.fail(i, r.error));
 * }
 * @publicApi
 */
export function KafkaBatchPattern(
  topic: string | RegExp,
  options: KafkaBatchOptions = {},
  transport?: Transport | symbol,
): MethodDecorator {
  const extras = { batch: options };
  return transport === undefined ? EventPattern(topic, extras) : EventPattern(topic, transport, extras);
}
