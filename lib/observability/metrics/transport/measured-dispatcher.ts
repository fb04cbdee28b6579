import type { Message } from '../../../client/message.js';
import type { HandlingOutcome } from '../../../transport/server/handler-error.policy.js';
import type { RdKafkaMetrics, RecordOutcome } from '../rdkafka-metrics.js';

/** What the consume loop calls per record (RecordDispatcher's `process`). @internal */
export interface ProcessesRecords {
  process(raw: Message): HandlingOutcome | Promise<HandlingOutcome>;
}

/** A `deferred` record (a retry-topic record not due yet) is handled later: it is not counted now. */
const OUTCOMES: Record<Exclude<HandlingOutcome, 'deferred'>, RecordOutcome> = {
  done: 'success',
  skipped: 'skipped',
  stopped: 'stopped',
  aborted: 'aborted',
  forwarded: 'forwarded',
  'dead-lettered': 'dead_lettered',
};

/**
 * The server's dispatcher with every record timed and counted: in flight from `process` until its outcome,
 * then `nestrdkafka_records_handled_total` and the handler duration. A wrapper, so a server without metrics
 * runs the dispatcher as it is, at no cost.
 * @param inner the server's dispatcher
 * @param metrics where to count
 * @param group the server's consumer group (the in-flight gauge's label)
 * @internal
 */
export function measuredDispatcher(inner: ProcessesRecords, metrics: RdKafkaMetrics, group: string): ProcessesRecords {
  const gauges = metrics.serverGauges(group);
  const end = (topic: string, outcome: HandlingOutcome, started: number): HandlingOutcome => {
    gauges.inFlight--;
    countOutcome(metrics, topic, outcome, started);
    return outcome;
  };
  return {
    process(raw: Message): HandlingOutcome | Promise<HandlingOutcome> {
      const started = performance.now();
      gauges.inFlight++;
      let result: HandlingOutcome | Promise<HandlingOutcome>;
      try {
        result = inner.process(raw);
      } catch (err) {
        gauges.inFlight--;
        throw err;
      }
      if (typeof result === 'string') return end(raw.topic, result, started);
      return result.then(
        (outcome) => end(raw.topic, outcome, started),
        (err: unknown) => {
          gauges.inFlight--;
          throw err;
        },
      );
    },
  };
}

/** Counts a record's outcome and its handling time (a `deferred` one is counted when it is handled). */
function countOutcome(metrics: RdKafkaMetrics, topic: string, outcome: HandlingOutcome, started: number): void {
  if (outcome === 'deferred') return;
  metrics.recordHandled(topic, OUTCOMES[outcome], (performance.now() - started) / 1000);
  if (outcome === 'dead-lettered') metrics.recordDeadLettered(topic);
}

/** What the consume loop calls per batch of a batch handler (LoopBatches' `process`). @internal */
export interface ProcessesBatches {
  process(records: readonly Message[]): Promise<HandlingOutcome[]>;
}

/**
 * Batches counted as single records are: each record of a batch is in flight from dispatch until the batch's
 * outcomes, then counted with its own outcome and the batch's handling time (the time until it was done).
 * @internal
 */
export function measuredBatches<B extends ProcessesBatches>(inner: B, metrics: RdKafkaMetrics, group: string): B {
  const gauges = metrics.serverGauges(group);
  return {
    ...inner,
    process: async (records: readonly Message[]): Promise<HandlingOutcome[]> => {
      const started = performance.now();
      gauges.inFlight += records.length;
      try {
        const outcomes = await inner.process(records);
        outcomes.forEach((o, i) => countOutcome(metrics, records[i]!.topic, o, started));
        return outcomes;
      } finally {
        gauges.inFlight -= records.length;
      }
    },
  };
}
