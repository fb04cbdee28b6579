import type { LoggerService } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import type { Message } from '../../client/message.js';
import { KafkaException } from '../../errors/index.js';
import type { RdKafkaContext } from '../context/rdkafka.context.js';
import { KafkaHeaders } from '../kafka-headers.enum.js';
import type { ParseWarning, RdKafkaParsedMessage, RdKafkaParser } from '../serdes/rdkafka.parser.js';
import type { FailureKind } from './dead-letter/dead-letter.headers.js';
import type { FailureRouter } from './dead-letter/failure-router.js';
import { finalOutcome, type HandlerErrorPolicy, type HandlingOutcome, type PolicyOutcome, runWithPolicy } from './handler-error.policy.js';
import { replyAddressOf, type ReplyAddress } from './reply-address.js';
import { where } from './record-place.js';
import { describe, deserializationError, finalStep } from './record-failure.js';
import type { HandlerWatchdog } from './handler-watchdog.js';

/**
 * What the dispatcher needs from the server (Nest's handler registry and pipeline). `C` is the handler context
 * the server builds (a seam: unit tests pass their own). @internal
 */
export interface DispatchTarget<C = RdKafkaContext> {
  getHandler(topic: string): MessageHandler | null;
  /**
   * Runs an event handler; rejects when it fails. It may resolve to an Observable the handler returned, which
   * the dispatcher then runs to completion (one promise hop less per record than awaiting it there).
   */
  runEvent(handler: MessageHandler, data: unknown, ctx: C): Promise<unknown>;
  /**
   * Runs a request handler and publishes its replies; resolves after the final reply was produced. Rejects
   * only for `KafkaRetriableException` before the first reply (Nest's rule), other errors become error replies.
   */
  runRequest(handler: MessageHandler | null, data: unknown, ctx: C, to: ReplyAddress): Promise<void>;
  /** Sends a final error reply (`kafka_nest-err`) to a request the error policy gave up on; never rejects. */
  replyError(to: ReplyAddress, message: string): Promise<void>;
  /** The pattern of the handler serving a topic (its name, or a RegExp's source), for log lines. */
  patternOf(topic: string): string;
  createContext(parsed: RdKafkaParsedMessage, raw: Message): C;
}

/** @internal */
export interface RecordDispatcherOptions {
  parser: RdKafkaParser;
  logger: LoggerService;
  policy: HandlerErrorPolicy;
  maxValueBytes: number;
  /** Aborted when the server closes: pending retries stop. */
  signal: AbortSignal;
  /** Time limits of handler runs (`handlerTimeoutMs`, `slowHandlerWarnMs`). */
  watchdog: HandlerWatchdog;
  /**
   * Told of every failure while handling a record (an attempt, decoding), in the record's context: retried, or
   * given up on (the failure metrics; the tracing's exception events).
   */
  onFailure?: (topic: string, willRetry: boolean, err: unknown) => void;
  /** Where the `dead-letter` policy sends records (retry and dead-letter topics); unset without one. */
  failures?: Pick<FailureRouter, 'route' | 'notDueUntil'>;
}

export { where };

/**
 * Handles one consumed record: size check, decoding (Nest's KafkaParser rules), event or request routing as
 * Nest's `ServerKafka` decides it, and the handler-error policy. A record too large is logged with its place and
 * skipped. A record that cannot be read or decoded goes through the error policy like a failed handler (`stop`
 * stops its partition there): a configured deserializer's failure with the policy's retries (it may depend on a
 * registry that is briefly unreachable), a failure of the built-in conversion or decoding without them (the same
 * bytes fail the same way). `process` never throws: nothing a record holds may stop the stream.
 * @internal
 */
export class RecordDispatcher<C = RdKafkaContext> {
  constructor(
    private readonly target: DispatchTarget<C>,
    private readonly options: RecordDispatcherOptions,
  ) {}

  /** Parser warnings, logged with the record's place (one bound function, not a closure per record). */
  private readonly onParseWarning = (w: ParseWarning, raw: Message, detail?: string): void =>
    this.options.logger.warn(
      `${w === 'invalid-json' ? `Invalid JSON (${detail}), passed on as a string` : 'Empty or null value, the handler gets the whole message'} at ${where(raw)}`,
      'ServerRdKafka',
    );

  /**
   * @returns how handling ended, synchronously when no handler ran (a skipped record); the caller commits or
   * stops the partition accordingly
   */
  process(raw: Message): HandlingOutcome | Promise<HandlingOutcome> {
    const { logger, parser } = this.options;
    // A retry topic's record waits (its partition paused) until due; unset without retry topics, free then.
    if (this.options.failures?.notDueUntil(raw) !== undefined) return 'deferred';
    // A record the client layer could not convert (its error names the place; see `readRecord`).
    if (raw.error) return this.failedForGood(raw, 'Could not read', new KafkaException(raw.error), 'unreadable');
    if (raw.length > this.options.maxValueBytes) {
      logger.error(
        `Skipped ${where(raw)}: value of ${raw.length} bytes exceeds maxValueBytes (${this.options.maxValueBytes})`,
        undefined,
        'ServerRdKafka',
      );
      return 'skipped';
    }
    // Without deserializers decoding is synchronous: no promise per record for it.
    if (parser.isSynchronous) {
      let parsed: RdKafkaParsedMessage;
      try {
        parsed = parser.parseSync(raw, this.onParseWarning);
      } catch (err) {
        return this.failedForGood(raw, 'Could not decode', deserializationError(raw, err), 'undecodable');
      }
      return this.routeGuarded(parsed, raw);
    }
    return parser.parse(raw, this.onParseWarning).then(
      (parsed) => this.routeGuarded(parsed, raw),
      (err: unknown) => this.undecodable(raw, err),
    );
  }

  /** A configured deserializer failed: decoding is attempted again under the policy, then the record routed. */
  private undecodable(raw: Message, first: unknown): Promise<HandlingOutcome> {
    let parsed: RdKafkaParsedMessage | undefined;
    let [last, attempts]: [unknown, number] = [first, 1];
    const decode = async (): Promise<void> => {
      parsed = await this.options.parser.parse(raw, this.onParseWarning);
    };
    return runWithPolicy(
      decode,
      this.options.policy,
      (err, n, willRetry) => {
        const e = deserializationError(raw, err);
        [last, attempts] = [e, n];
        this.options.onFailure?.(raw.topic, willRetry, e);
        this.options.logger.error(
          `Could not decode ${where(raw)} (attempt ${n}, ${willRetry ? 'retrying' : 'giving up'}): ${describe(e)}`,
          e.stack,
          'ServerRdKafka',
        );
      },
      this.options.signal,
      first,
    ).then((o) => (o === 'done' ? this.routeGuarded(parsed!, raw) : this.decided(o, raw, last, attempts, 'undecodable')));
  }

  /** A failure no retry can change: logged with the record's place, and the policy's final step applies. */
  private failedForGood(raw: Message, what: string, err: unknown, failure: FailureKind): HandlingOutcome | Promise<HandlingOutcome> {
    return finalStep(this.options, raw, what, err, failure, 1);
  }

  /**
   * Where a record the caller gave up on ends by the policy's final step (skip, stop, or the retry or dead-letter
   * topic), e.g. a failed record of a batch after its retries; the caller logs the failure.
   * @param attempts handler attempts made on this topic
   */
  giveUp(raw: Message, error: unknown, attempts: number): HandlingOutcome | Promise<HandlingOutcome> {
    return this.decided(finalOutcome(this.options.policy), raw, error, attempts, 'handler');
  }

  /** The policy's decision as an outcome: `routed` goes to the failure router (retry or dead-letter topic). */
  private decided(
    o: PolicyOutcome,
    raw: Message,
    error: unknown,
    attempts: number,
    failure: FailureKind,
    request = false,
  ): HandlingOutcome | Promise<HandlingOutcome> {
    if (o !== 'routed') return o;
    return this.options.failures?.route({ raw, error, attempts, failure, request }) ?? 'skipped';
  }

  /** `route`, with anything it throws (e.g. a header value that cannot become a string) a record failure. */
  private routeGuarded(parsed: RdKafkaParsedMessage, raw: Message): HandlingOutcome | Promise<HandlingOutcome> {
    try {
      return this.route(parsed, raw);
    } catch (err) {
      return this.failedForGood(raw, 'Could not dispatch', err, 'dispatch');
    }
  }

  private route(parsed: RdKafkaParsedMessage, raw: Message): HandlingOutcome | Promise<HandlingOutcome> {
    const handler = this.target.getHandler(raw.topic);
    const correlationId = parsed.headers[KafkaHeaders.CORRELATION_ID];
    const replyTopic = parsed.headers[KafkaHeaders.REPLY_TOPIC];
    // Nest's rule: without a correlation id and a reply topic, or for an event handler, it is an event.
    const isEvent = handler?.isEventHandler || isBlank(correlationId) || isBlank(replyTopic);
    // Nest's KafkaRequestDeserializer: the value, or the whole message for a tombstone.
    const data = parsed.value ?? parsed;
    if (isEvent) {
      if (!handler) {
        this.options.logger.error(
          `There is no matching event handler defined in the remote service. Event pattern: ${raw.topic} (${where(raw)})`,
          undefined,
          'ServerRdKafka',
        );
        return 'skipped';
      }
      const ctx = this.target.createContext(parsed, raw);
      return this.withPolicy(raw, () => this.target.runEvent(handler, data, ctx));
    }
    const ctx = this.target.createContext(parsed, raw);
    const to = replyAddressOf(raw);
    return this.withPolicy(raw, () => this.target.runRequest(handler, data, ctx, to), to);
  }

  /**
   * The first attempt runs directly; only a failure enters the policy's retry loop. An Observable the attempt
   * resolved to runs to completion first, and its error is a failure too. Each attempt (the stream, a request's
   * replies) is under the watchdog's time limit; expiry is a failure like any other.
   * @param to a request's reply address: when the policy gives up on it the caller gets an error reply
   */
  private withPolicy(raw: Message, attempt: () => Promise<unknown>, to?: ReplyAddress): Promise<HandlingOutcome> {
    const { watchdog } = this.options;
    const completed = (): Promise<void> => attempt().then(untilEnd);
    const pattern = watchdog.idle ? '' : this.target.patternOf(raw.topic);
    const run = watchdog.idle ? completed : () => watchdog.watch(completed(), raw, pattern);
    let [last, attempts]: [unknown, number] = [undefined, 0];
    const failed = (first: unknown): Promise<HandlingOutcome> => {
      const outcome = runWithPolicy(
        run,
        this.options.policy,
        (err, n, willRetry) => {
          [last, attempts] = [err, n];
          this.options.onFailure?.(raw.topic, willRetry, err);
          const next = willRetry ? 'retrying' : 'giving up';
          this.options.logger.error(
            `Handler failed on ${where(raw)} (attempt ${n}, ${next}): ${describe(err)}`,
            (err as Error)?.stack,
            'ServerRdKafka',
          );
        },
        this.options.signal,
        first,
      );
      return outcome.then((o) => (to ? this.gaveUp(o, to, last, raw, attempts) : this.decided(o, raw, last, attempts, 'handler')));
    };
    // The first attempt is the hot path of events: one promise hop, no wrapper; watched, it settles its own
    // promise (measured in isolation: ~0.3 µs per record for the limits, wrapping it in watch() cost ~0.6 µs).
    if (watchdog.idle) return attempt().then((result) => (isObservable(result) ? streamEnd(result).then(done, failed) : 'done'), failed);
    return new Promise<HandlingOutcome>((resolve) => {
      const w = watchdog.begin(raw, pattern, (expired) => resolve(failed(expired)));
      const fail = (err: unknown): void => {
        if (watchdog.end(w, err)) resolve(failed(err));
      };
      attempt().then((result) => {
        if (!isObservable(result)) return void (watchdog.end(w) && resolve('done'));
        streamEnd(result).then(() => watchdog.end(w) && resolve('done'), fail);
      }, fail);
    });
  }

  /**
   * A request the policy gave up on (skipped, stopped or dead-lettered) gets an error reply rather than leave its
   * caller waiting; a dead-lettered one is then recorded in its dead-letter topic.
   */
  private async gaveUp(o: PolicyOutcome, to: ReplyAddress, err: unknown, raw: Message, attempts: number): Promise<HandlingOutcome> {
    if ((o === 'skipped' || o === 'stopped' || o === 'routed') && !to.ended) {
      const how = o === 'skipped' ? 'skipped' : o === 'stopped' ? 'partition stopped' : 'dead-lettered';
      await this.target.replyError(to, `Request not handled (${how} by the error policy): ${describe(err)}`);
    }
    return this.decided(o, raw, err, attempts, 'handler', true);
  }
}

function untilEnd(result: unknown): Promise<void> | undefined {
  return isObservable(result) ? streamEnd(result) : undefined;
}

function done(): HandlingOutcome {
  return 'done';
}

/** Resolves when an Observable completes; rejects with its error. */
function streamEnd(stream: Observable<unknown>): Promise<void> {
  return lastValueFrom(stream, { defaultValue: undefined }).then(() => undefined);
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}
