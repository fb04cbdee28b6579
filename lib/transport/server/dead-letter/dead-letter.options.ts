/** An error class, for `RetryTopicsOptions.retryOn` / `notRetryOn`. @publicApi */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * Where records the error policy gives up on go (`then: 'dead-letter'` or `mode: 'dead-letter'`). The record is
 * written with its key, value and headers byte for byte, plus `DeadLetterHeaders`; its source offset is
 * committed only once the write is acknowledged.
 * @publicApi
 */
export interface DeadLetterOptions {
  /**
   * The dead-letter topic of a source topic: a function, or one topic for all. Return null from the function to
   * keep a topic out (its records are then skipped as by `then: 'skip'`).
   * @default (topic) => `${topic}.dlt`
   */
  topic?: string | ((sourceTopic: string) => string | null);
  /** The error message header is cut to this many UTF-8 bytes. @default 1024 */
  maxErrorMessageBytes?: number;
  /** How long one write may take until its delivery report. @default 30000 */
  writeTimeoutMs?: number;
  /**
   * Further attempts of a write that failed (1 s apart, doubling) before the policy falls back to `stop`: the
   * partition pauses at the record, uncommitted, until `resume()`; nothing is lost.
   * @default 2
   */
  writeRetries?: number;
  /**
   * Requests (`@MessagePattern`) the policy gives up on are recorded too; their caller gets the error reply
   * either way. Requests never go to retry topics: their caller is waiting.
   * @default true
   */
  requests?: boolean;
}

/**
 * Non-blocking retries: a record the policy gives up on goes to the next retry topic rather than to the
 * dead-letter topic, and is handled again by the same handler once its delay has passed, while its source
 * partition moves on. After the last retry topic it goes to the dead-letter topic.
 * @publicApi
 */
export interface RetryTopicsOptions {
  /** The delay before each further attempt, one retry topic each. @default [1000, 10000, 60000] */
  delaysMs?: readonly number[];
  /** The source topics that get retry topics. @default every string pattern of the server */
  topics?: readonly string[];
  /** The name of the retry topic of a source topic for attempt `n` (1-based). @default `${topic}.retry.${n}` */
  topic?: (sourceTopic: string, n: number) => string;
  /**
   * Which errors are retried; the others go straight to the dead-letter topic. Classes (by `instanceof`) or a
   * predicate. @default every error
   */
  retryOn?: readonly ErrorClass[] | ((error: unknown) => boolean);
  /** Errors never retried (straight to the dead-letter topic), checked before `retryOn`. @default [] */
  notRetryOn?: readonly ErrorClass[];
  /**
   * Settings of single source topics, over the ones above: `{ payments: { delaysMs: [5000] }, audit: false }`
   * (false: no retry topics for it, failures go straight to its dead-letter topic).
   * @default {}
   */
  perTopic?: Readonly<Record<string, RetryTopicSettings | false>>;
}

/** What `RetryTopicsOptions.perTopic` can set for one source topic. @publicApi */
export type RetryTopicSettings = Pick<RetryTopicsOptions, 'delaysMs' | 'retryOn' | 'notRetryOn'>;

/** @internal */
export const DEAD_LETTER_DEFAULTS = Object.freeze({
  suffix: '.dlt',
  maxErrorMessageBytes: 1024,
  writeTimeoutMs: 30_000,
  writeRetries: 2,
  writeBackoffMs: 1000,
  requests: true,
  retryDelaysMs: Object.freeze([1000, 10_000, 60_000]) as readonly number[],
});

/** The default dead-letter topic of a source topic. @publicApi */
export function defaultDeadLetterTopic(sourceTopic: string): string {
  return `${sourceTopic}${DEAD_LETTER_DEFAULTS.suffix}`;
}

/** The default retry topic of a source topic for attempt `n` (1-based). @publicApi */
export function defaultRetryTopic(sourceTopic: string, n: number): string {
  return `${sourceTopic}.retry.${n}`;
}
