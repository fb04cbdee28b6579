import type { LoggerService } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '../../../client/message.js';
import type { Producer } from '../../../client/producer.js';
import { ErrorCode, KafkaException } from '../../../errors/index.js';
import { produceWithBackpressure } from '../../produce-with-backpressure.js';
import { within } from '../deadline.js';
import { where } from '../record-place.js';
import { DeadLetterHeaders, type FailureKind, failureHeaders, numericHeader } from './dead-letter.headers.js';
import { DEAD_LETTER_DEFAULTS, type DeadLetterOptions, type RetryTopicsOptions } from './dead-letter.options.js';
import { deadLetterTopicName, type ResolvedRetrySettings, retrySettingsOf, retryTopicNames } from './topic-names.js';

/** What the router needs of the server's producer (a seam for unit tests). @internal */
export type FailureProducer = Pick<Producer, 'produceAsync' | 'poll'>;

/**
 * How routing a failed record ended: `forwarded` to a retry topic, `dead-lettered`, `skipped` (no dead-letter
 * topic for it), `stopped` (the write failed: keep the record, uncommitted) or `aborted` (server closing).
 * The first three commit the source offset.
 * @internal
 */
export type RoutedOutcome = 'forwarded' | 'dead-lettered' | 'skipped' | 'stopped' | 'aborted';

/** @internal */
export interface FailureRouterOptions {
  deadLetter?: DeadLetterOptions;
  retryTopics?: RetryTopicsOptions;
  /** The source topics retry topics are derived from when `retryTopics.topics` is not set. */
  sourceTopics: readonly string[];
  /** The consumer group, for `rdkafka-original-consumer-group`. */
  groupId: string;
  logger: LoggerService;
  /** Aborted when the server closes: a pending write retry ends, the record stays uncommitted. */
  signal: AbortSignal;
}

/** One failed record as `route` takes it. @publicApi */
export interface FailedRecord {
  /** The record as consumed, byte for byte. */
  readonly raw: Message;
  /** The last error. */
  readonly error: unknown;
  /** Handler attempts on this topic (in-place retries included); attempts on earlier retry topics are added. */
  readonly attempts: number;
  /** @default 'handler' */
  readonly failure?: FailureKind;
  /** A request (`@MessagePattern`): never goes to a retry topic, its caller is waiting. @default false */
  readonly request?: boolean;
}

const CTX = 'ServerRdKafka';

/**
 * Sends records the error policy gave up on to the next retry topic or to the dead-letter topic, and says
 * whether their source offset may be committed: only once the write's delivery report came back. Shared by
 * single-record and batch handlers (`route`). Nothing here runs for a record that succeeded.
 * @internal
 */
export class FailureRouter {
  /** Retry topic → its source topic and attempt number. */
  private readonly hops = new Map<string, { source: string; n: number }>();
  /** Source topics with retry topics → their settings. */
  private readonly retries = new Map<string, ResolvedRetrySettings>();

  constructor(
    private readonly producer: () => FailureProducer,
    private readonly o: FailureRouterOptions,
  ) {
    const r = o.retryTopics;
    for (const source of r ? (r.topics ?? o.sourceTopics) : []) {
      const settings = retrySettingsOf(r!, source);
      if (!settings) continue;
      this.retries.set(source, settings);
      retryTopicNames(r!, source).forEach((topic, i) => this.hops.set(topic, { source, n: i + 1 }));
    }
  }

  /** Every retry topic, to subscribe to. */
  get retryTopics(): string[] {
    return [...this.hops.keys()];
  }

  /** The source topic whose handler serves a retry topic, or undefined. */
  sourceOf(topic: string): string | undefined {
    return this.hops.get(topic)?.source;
  }

  /** A retry topic's record that is not due yet: when it is; undefined otherwise (handle it now). */
  notDueUntil(raw: Message): number | undefined {
    if (!this.hops.has(raw.topic)) return undefined;
    const due = numericHeader(raw, DeadLetterHeaders.RETRY_DUE_AT);
    return due !== undefined && due > Date.now() ? due : undefined;
  }

  /**
   * Routes one failed record: the next retry topic when its source has one left and the error is retryable
   * (handler failures of events only), else the dead-letter topic. Never rejects.
   */
  async route(f: FailedRecord): Promise<RoutedOutcome> {
    const { raw } = f;
    const hop = this.hops.get(raw.topic);
    const source = hop?.source ?? raw.topic;
    const attempts = (hop ? (numericHeader(raw, DeadLetterHeaders.ATTEMPTS) ?? 0) : 0) + f.attempts;
    const failure = f.failure ?? 'handler';
    const n = (hop?.n ?? 0) + 1;
    const facts = { failure, error: f.error, attempts, groupId: this.o.groupId, fromRetryTopic: hop !== undefined };
    const maxErrorMessageBytes = this.o.deadLetter?.maxErrorMessageBytes ?? DEAD_LETTER_DEFAULTS.maxErrorMessageBytes;
    const retry = failure === 'handler' && !f.request ? this.retries.get(source) : undefined;
    if (retry && n <= retry.delaysMs.length && this.retryable(retry, f.error)) {
      const delay = retry.delaysMs[n - 1]!;
      const target = retryTopicNames(this.o.retryTopics!, source)[n - 1]!;
      const dueAt = Date.now() + delay;
      const written = await this.write(target, raw, failureHeaders(raw, { ...facts, maxErrorMessageBytes, dueAt }));
      if (written !== true) return written;
      this.o.logger.warn(`Sent ${where(raw)} to retry topic ${target} (attempt ${attempts} failed), due in ${delay} ms`, CTX);
      return 'forwarded';
    }
    const keep = !f.request || (this.o.deadLetter?.requests ?? DEAD_LETTER_DEFAULTS.requests);
    const target = keep ? deadLetterTopicName(this.o.deadLetter, source) : null;
    if (target === null) {
      this.o.logger.error(`Skipped ${where(raw)}: no dead-letter topic for it (after ${attempts} attempts)`, undefined, CTX);
      return 'skipped';
    }
    const written = await this.write(target, raw, failureHeaders(raw, { ...facts, maxErrorMessageBytes }));
    if (written !== true) return written;
    this.o.logger.warn(`Sent ${where(raw)} to dead-letter topic ${target} (${failure} failed, ${attempts} attempts)`, CTX);
    return 'dead-lettered';
  }

  private retryable(r: ResolvedRetrySettings, error: unknown): boolean {
    if (r.notRetryOn?.some((c) => error instanceof c)) return false;
    const on = r.retryOn;
    if (on === undefined) return true;
    if (typeof on !== 'function') return on.some((c) => error instanceof c);
    try {
      return on(error);
    } catch (err) {
      this.o.logger.error(`retryOn threw (${String(err)}): the record goes to the dead-letter topic`, undefined, CTX);
      return false;
    }
  }

  /**
   * Produces the record (key, value, headers) and waits for its delivery report, retried `writeRetries` times.
   * @returns true once acknowledged; `stopped` when every try failed (logged), `aborted` when closing
   */
  private async write(target: string, raw: Message, headers: [string, Buffer | null][]): Promise<true | 'stopped' | 'aborted'> {
    const dl = this.o.deadLetter;
    const timeoutMs = dl?.writeTimeoutMs ?? DEAD_LETTER_DEFAULTS.writeTimeoutMs;
    const retries = Math.max(0, dl?.writeRetries ?? DEAD_LETTER_DEFAULTS.writeRetries);
    let last: unknown;
    for (let i = 0; i <= retries; i++) {
      if (i > 0 && !(await pause(DEAD_LETTER_DEFAULTS.writeBackoffMs * 2 ** (i - 1), this.o.signal))) return 'aborted';
      try {
        const sent = produceWithBackpressure(this.producer(), target, { key: raw.key, value: raw.value, headers });
        await within(sent, timeoutMs, () => new KafkaException(ErrorCode._MSG_TIMED_OUT, `no delivery report within ${timeoutMs} ms`));
        return true;
      } catch (err) {
        last = err;
      }
    }
    this.o.logger.error(
      `Could not write ${where(raw)} to ${target} (${retries + 1} tries, last: ${String(last)}); its partition stops at the record, uncommitted: resume() tries again`,
      (last as Error)?.stack,
      CTX,
    );
    return 'stopped';
  }
}

/** Waits `ms`; false when the server closes first. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
