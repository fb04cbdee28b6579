import type { HandlingOutcome } from '../../transport/server/handler-error.policy.js';
import type { LoopDispatcher } from '../../transport/server/server-consume-loop.js';
import type { KafkaTracing } from './kafka-tracing.js';

/** A record handled, or left behind by a rebalance: not a failure of its handling. */
/** A record sent on to a retry or dead-letter topic failed; one deferred (a retry not due yet) comes back later. */
const succeeded = (o: HandlingOutcome): boolean => o === 'done' || o === 'aborted' || o === 'deferred';

/**
 * The server's dispatcher with each record's handling inside a `process <topic>` span, ended when the loop
 * settles the record (or at once for an outcome known synchronously). Without tracing the dispatcher itself is
 * returned: nothing is added to the hot path.
 * @internal
 */
export function tracedDispatcher(dispatcher: LoopDispatcher, tracing: KafkaTracing | null, groupId: string): LoopDispatcher {
  if (!tracing) return dispatcher;
  return {
    process: (m) => {
      const outcome = tracing.process(m, groupId, () => dispatcher.process(m));
      if (!(outcome instanceof Promise)) tracing.processed(m, succeeded(outcome));
      return outcome;
    },
    settled: (m, outcome) => tracing.processed(m, succeeded(outcome)),
  };
}
