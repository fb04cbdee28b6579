import type { LoggerService } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import { DEFAULT_HANDLER_ERROR_POLICY, type HandlerErrorPolicy } from '../handler-error.policy.js';
import type { DeadLetterOptions, RetryTopicsOptions } from './dead-letter.options.js';
import { type FailureProducer, FailureRouter } from './failure-router.js';
import { handlerBatchBounds } from '../batch/batch.options.js';

/** The server options this module reads. @internal */
export interface ServerFailureOptions {
  errorPolicy?: HandlerErrorPolicy;
  deadLetter?: DeadLetterOptions;
  retryTopics?: RetryTopicsOptions;
}

/** With retry topics, retrying in place first would hold the partition: they do the retrying instead. */
const ROUTE_AT_ONCE: HandlerErrorPolicy = Object.freeze({ mode: 'dead-letter' });

/**
 * The server's error policy: the one given, else `{ mode: 'dead-letter' }` when `deadLetter` or `retryTopics`
 * is set, else the default (3 retries, then skip).
 * @internal
 */
export function serverErrorPolicy(o: ServerFailureOptions): HandlerErrorPolicy {
  return o.errorPolicy ?? (o.deadLetter || o.retryTopics ? ROUTE_AT_ONCE : DEFAULT_HANDLER_ERROR_POLICY);
}

/** Whether a policy ever hands records to the failure router (retry and dead-letter topics). @internal */
export function routesFailures(p: HandlerErrorPolicy): boolean {
  return p.mode === 'dead-letter' || (p.mode === 'retry' && p.then === 'dead-letter');
}

/**
 * The failure router of a server, or undefined when its policy never routes. Retry topics derive from the
 * string patterns of single-record event handlers (requests and batch handlers never go to retry topics).
 * @internal
 */
export function serverFailureRouter(
  o: ServerFailureOptions,
  handlers: ReadonlyMap<unknown, MessageHandler>,
  producer: () => FailureProducer,
  ctx: { groupId: string; logger: LoggerService; signal: AbortSignal },
): FailureRouter | undefined {
  const policy = serverErrorPolicy(o);
  if (!routesFailures(policy)) {
    if (o.deadLetter || o.retryTopics)
      ctx.logger.warn('deadLetter / retryTopics are set but errorPolicy never ends in "dead-letter": they are not used', 'ServerRdKafka');
    return undefined;
  }
  // Batch handlers get no retry topics: a batch is formed before a record's due time could be checked, so a
  // retried record would run at once; their failed records go to the dead-letter topic (or retry in place).
  const sourceTopics = [...handlers]
    .filter(([p, h]) => typeof p === 'string' && h.isEventHandler && !handlerBatchBounds(h))
    .map(([p]) => p as string);
  return new FailureRouter(producer, { deadLetter: o.deadLetter, retryTopics: o.retryTopics, sourceTopics, ...ctx });
}
