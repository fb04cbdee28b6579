import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from '../../../lib/index.js';

/** A numbered record as the fault specs produce it: `seq` counts from 0, the key spreads them over partitions. */
export interface SeqRecord {
  seq: number;
}

/** What a bounded load run saw on the producer side. */
export interface LoadResult {
  /** Delivery time (ms since the epoch) of each seq, undefined when its delivery failed. */
  deliveredAt: (number | undefined)[];
  /** Delivery errors by seq. */
  errors: Map<number, string>;
}

/** The key of a seq: 8 keys, so every partition gets records and each key has an order to keep. */
export const keyOf = (seq: number): string => `k${seq % 8}`;

/**
 * Produces `count` records at about `perSecond`, calling `at(seq)` before each (to inject a fault at a point in
 * the stream), and resolves once every delivery report is in. Bounded: `count` records, each settled by
 * librdkafka's `message.timeout.ms`.
 */
export async function produceAtRate(
  producer: Producer,
  topic: string,
  count: number,
  perSecond: number,
  at: (seq: number) => void = () => {},
): Promise<LoadResult> {
  const result: LoadResult = { deliveredAt: new Array(count), errors: new Map() };
  const settled: Promise<void>[] = [];
  const perTick = Math.max(1, Math.round(perSecond / 100));
  for (let seq = 0; seq < count; seq++) {
    at(seq);
    settled.push(
      producer.produceAsync(topic, { key: keyOf(seq), value: JSON.stringify({ seq }) }).then(
        () => {
          result.deliveredAt[seq] = Date.now();
        },
        (e: Error) => {
          result.errors.set(seq, e.message);
        },
      ),
    );
    if (seq % perTick === perTick - 1) await sleep(10);
  }
  await Promise.all(settled);
  return result;
}

/** A record a fault spec's handler saw, and where it sat in the log. */
export interface HandledRecord extends SeqRecord {
  at: number;
  partition: number;
  offset: number;
}

/** How the handled records compare with the produced sequence 0..count-1. */
export interface SequenceReport {
  handled: number;
  unique: number;
  lost: number;
  duplicated: number;
  /** Handlings of a log position handled before (the consumer side: a replay after a rebalance or restart). */
  redelivered: number;
  /** Seqs found at more than one log position (the producer side: a retry the broker had already written). */
  writtenTwice: number;
  /** Keys whose records were handled out of produce order. */
  reordered: string[];
  /** Keys whose records sit in the log out of produce order (the producer side). */
  reorderedInLog: string[];
}

/** Counts by unique seq and checks the full sequence, and the order within each key, handled and in the log. */
export function checkSequence(count: number, records: HandledRecord[]): SequenceReport {
  const seen = new Set(records.map((r) => r.seq));
  let lost = 0;
  for (let seq = 0; seq < count; seq++) if (!seen.has(seq)) lost++;
  const positions = new Map<string, number>();
  const placesOf = new Map<number, Set<string>>();
  for (const r of records) {
    const at = `${r.partition}@${r.offset}`;
    positions.set(at, (positions.get(at) ?? 0) + 1);
    placesOf.set(r.seq, (placesOf.get(r.seq) ?? new Set()).add(at));
  }
  const logOrder = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  return {
    handled: records.length,
    unique: seen.size,
    lost,
    duplicated: records.length - seen.size,
    redelivered: [...positions.values()].reduce((n, c) => n + c - 1, 0),
    writtenTwice: [...placesOf.values()].filter((p) => p.size > 1).length,
    reordered: reorderedKeys(records),
    reorderedInLog: reorderedKeys(logOrder),
  };
}

function reorderedKeys(records: SeqRecord[]): string[] {
  const last = new Map<string, number>();
  const reordered = new Set<string>();
  for (const { seq } of records) {
    const key = keyOf(seq);
    if ((last.get(key) ?? -1) > seq) reordered.add(key);
    last.set(key, seq);
  }
  return [...reordered];
}

/** The longest time between two consecutive events at or after `from` (including the wait from `from` itself). */
export function maxGap(times: (number | undefined)[], from: number): number {
  const after = times.filter((t): t is number => t !== undefined && t >= from).sort((a, b) => a - b);
  let gap = 0;
  let previous = from;
  for (const t of after) {
    gap = Math.max(gap, t - previous);
    previous = t;
  }
  return gap;
}
