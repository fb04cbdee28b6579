import type { MessageHandler } from '@nestjs/microservices';

/**
 * Bounds of the batches a batch handler gets (`@KafkaBatchPattern(topic, options)`, or
 * `@EventPattern(topic, { batch: options })`). A batch holds records of one partition, in offset order, and is
 * handed to the handler as soon as one bound is reached: `maxRecords` records, `maxBytes` bytes, or `maxWaitMs`
 * after its first record was taken. Records already fetched are taken at once; the wait only applies while
 * fewer are buffered. A batch is also bounded by the server's `maxBufferedRecords` (all partitions together).
 * @publicApi
 */
export interface KafkaBatchOptions {
  /** Records in one batch at most. @default 250 */
  readonly maxRecords?: number;
  /**
   * Bytes (values and keys) in one batch at most. A single record larger than this still makes a batch of one:
   * a record is never refused for the batch's bound (`maxValueBytes` of the server does that).
   * @default 1048576 (1 MiB)
   */
  readonly maxBytes?: number;
  /**
   * How long a batch waits for more records once its first one is taken, when fewer than `maxRecords` are
   * buffered. 0: a batch is what is buffered at that moment.
   * @default 100
   */
  readonly maxWaitMs?: number;
}

/** The bounds of one batch handler, every field set. @internal */
export type BatchBounds = Required<KafkaBatchOptions>;

/**
 * The defaults of `KafkaBatchOptions`. 250 records is one `consume()` call's worth (the server's `batchSize`),
 * so a busy partition fills a batch from what one fetch returns; 100 ms bounds the latency a quiet topic pays.
 * @publicApi
 */
export const KAFKA_BATCH_DEFAULTS: Readonly<Required<KafkaBatchOptions>> = Object.freeze({
  maxRecords: 250,
  maxBytes: 1_048_576,
  maxWaitMs: 100,
});

/** What a batch handler declares in its pattern's extras. @publicApi */
export interface RdKafkaBatchExtras {
  /** `true` for the defaults, or bounds: the handler gets arrays of payloads (see `KafkaBatchOptions`). */
  batch?: boolean | KafkaBatchOptions;
}

/**
 * Resolves a batch opt-in against the defaults.
 * @returns the bounds, or null when `batch` is absent or false
 * @throws RangeError when a bound is not a positive integer (`maxWaitMs` may be 0)
 * @internal
 */
export function resolveBatchOptions(batch: RdKafkaBatchExtras['batch']): BatchBounds | null {
  if (batch === undefined || batch === false) return null;
  const o = batch === true ? {} : batch;
  const bounds: BatchBounds = Object.freeze({
    maxRecords: o.maxRecords ?? KAFKA_BATCH_DEFAULTS.maxRecords,
    maxBytes: o.maxBytes ?? KAFKA_BATCH_DEFAULTS.maxBytes,
    maxWaitMs: o.maxWaitMs ?? KAFKA_BATCH_DEFAULTS.maxWaitMs,
  });
  for (const [name, min] of [
    ['maxRecords', 1],
    ['maxBytes', 1],
    ['maxWaitMs', 0],
  ] as const) {
    const v = bounds[name];
    if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`batch.${name} must be an integer >= ${min}, got ${String(v)}`);
  }
  return bounds;
}

/** The batch bounds an event handler declares, or null (request handlers never batch). @internal */
export function handlerBatchBounds(handler: MessageHandler | null | undefined): BatchBounds | null {
  if (!handler?.isEventHandler) return null;
  return resolveBatchOptions((handler.extras as RdKafkaBatchExtras | undefined)?.batch);
}
