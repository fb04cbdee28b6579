import type { Message } from '../../../client/message.js';
import type { HandlingOutcome } from '../handler-error.policy.js';
import type { BatchBounds } from './batch.options.js';
import type { LaneBatching } from './lane-batching.js';

/** What the consume loop needs to run batch handlers (the server builds it from its handlers). @internal */
export interface LoopBatches {
  /** The batch bounds of the handler serving a topic, or null: its records run one by one. A cached lookup. */
  boundsOf(topic: string): BatchBounds | null;
  /** Handles records of one partition as a batch; resolves to an outcome per record, in order. Never rejects. */
  process(records: readonly Message[]): Promise<HandlingOutcome[]>;
}

/**
 * The scheduler's batching for the consume loop: records still current (see the loop's `current`) go to the
 * batch handler, stale ones (fetched before a seek, stop or revocation) are `aborted` without being handled.
 * @param canGrow whether waiting can bring more records (the loop is fetching and its buffer has room)
 * @param isCurrent whether a record queued under a generation still counts
 * @internal
 */
export function loopBatching(
  batches: LoopBatches,
  canGrow: () => boolean,
  isCurrent: (m: Message, gen: number) => boolean,
): LaneBatching<Message, HandlingOutcome> {
  return {
    boundsOf: (m) => batches.boundsOf(m.topic),
    bytesOf: recordBytes,
    canGrow,
    run: async (records, gens) => {
      const outcomes: HandlingOutcome[] = records.map((m, i) => (isCurrent(m, gens[i]!) ? 'done' : 'aborted'));
      const fresh = records.filter((_, i) => outcomes[i] === 'done');
      if (fresh.length === 0) return outcomes;
      const results = await batches.process(fresh);
      for (let i = 0, j = 0; i < outcomes.length; i++) if (outcomes[i] === 'done') outcomes[i] = results[j++]!;
      return outcomes;
    },
  };
}

/** A record's share of `maxBytes`: its value and key. */
function recordBytes(m: Message): number {
  return m.length + (m.key?.length ?? 0);
}
