import { KafkaRetriableException, type MessageHandler } from '@nestjs/microservices';
import { finalize, isObservable, lastValueFrom, type Observable, type ReplaySubject } from 'rxjs';
import type { RdKafkaBatchContext } from '../context/rdkafka-batch.context.js';
import type { RdKafkaContext } from '../context/rdkafka.context.js';
import { type ProcessingHooks, runWithProcessingHooks } from './nest-compat.js';

/**
 * Runs an event handler and awaits what it returned, between Nest's processing hooks when there are any;
 * rejects when it fails.
 * @param hooks null when nothing set Nest's processing hooks: the handler's promise is passed on as it is, and
 *   the dispatcher runs a returned Observable to completion (hooks need the stream's end, so they await it here)
 * @internal
 */
export function runEventHandler(
  hooks: ProcessingHooks | null,
  handler: MessageHandler,
  data: unknown,
  ctx: RdKafkaContext | RdKafkaBatchContext,
): Promise<unknown> {
  if (!hooks) {
    try {
      const result: unknown = handler(data, ctx);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return new Promise<void>((resolve, reject) => {
    const started = runWithProcessingHooks(hooks, ctx, async (runEndHook) => {
      try {
        const result: unknown = await handler(data, ctx);
        if (isObservable(result)) await lastValueFrom(result.pipe(finalize(runEndHook)), { defaultValue: undefined });
        else runEndHook();
        resolve();
      } catch (err) {
        runEndHook();
        reject(err);
      }
    });
    swallow(started);
  });
}

/**
 * Nest's rule: a `KafkaRetriableException` before the first value rejects (retry); anything else is replied.
 * @internal
 */
export function firstEmission(response$: Observable<unknown>, replay: ReplaySubject<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    response$.subscribe({
      next: (v) => {
        replay.next(v);
        settle(resolve);
      },
      error: (err) => {
        if (err instanceof KafkaRetriableException) settle(() => reject(err));
        else settle(resolve);
        replay.error(err);
      },
      complete: () => {
        replay.complete();
        settle(resolve);
      },
    });
  });
}

/** Nest's processing-hook runners return the start hook's Promise: failures are handled elsewhere, not there. @internal */
export function swallow(p: unknown): void {
  if (p && typeof (p as Promise<unknown>).catch === 'function') (p as Promise<unknown>).catch(() => undefined);
}
