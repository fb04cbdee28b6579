import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Message } from '../../../client/message.js';
import { KafkaException } from '../../../errors/index.js';
import { RdKafkaBatchContext, RdKafkaBatchFailures } from '../../context/rdkafka-batch.context.js';
import type { RdKafkaContext } from '../../context/rdkafka.context.js';
import type { ParseWarning, RdKafkaParsedMessage } from '../../serdes/rdkafka.parser.js';
import { type HandlingOutcome, runWithPolicy } from '../handler-error.policy.js';
import type { DispatchTarget, RecordDispatcherOptions } from '../record-dispatcher.js';
import { describe, deserializationError, finalStep } from '../record-failure.js';
import { where } from '../record-place.js';
import type { FailureKind } from '../dead-letter/index.js';
import { BatchPartlyFailedError } from './batch-partly-failed.error.js';

/** What the batch dispatcher needs from the server: its handler lookup, pipeline and contexts. @internal */
export interface BatchTarget extends Pick<DispatchTarget, 'getHandler' | 'patternOf' | 'createContext'> {
  /** Runs an event handler with the batch (Nest's pipeline, once); may resolve to an Observable it returned. */
  runEvent(handler: MessageHandler, data: unknown[], ctx: RdKafkaBatchContext): Promise<unknown>;
}

/** One decoded record of a batch. */
interface Entry {
  readonly raw: Message;
  readonly data: unknown;
  readonly ctx: RdKafkaContext;
  /** Why its last attempt failed. */
  error?: unknown;
  /** Handler runs that included it. */
  attempts?: number;
}

const CTX = 'ServerRdKafka';

/**
 * Handles one partition's batch for a batch handler: every record is checked and decoded as the single-record
 * dispatcher does (one that cannot be read or decoded goes through the error policy on its own and is left out),
 * then the handler runs once with the payloads and an `RdKafkaBatchContext`. Resolved without marks, every record
 * is done. A thrown error fails the whole batch, `ctx.fail()` some records: the failed ones go through the error
 * policy together (retries run the handler again with just them), and those still failing at the end get the
 * policy's final outcome one by one (`finalFor`). Outcomes come back per record, for the loop to commit past or
 * stop at. `process` never rejects.
 * @internal
 */
export class BatchDispatcher {
  constructor(
    private readonly target: BatchTarget,
    private readonly options: RecordDispatcherOptions,
  ) {}

  async process(raws: readonly Message[]): Promise<HandlingOutcome[]> {
    const outcomes: HandlingOutcome[] = new Array<HandlingOutcome>(raws.length).fill('done');
    const entries: Entry[] = [];
    const at: number[] = [];
    for (let i = 0; i < raws.length; i++) {
      // Without deserializers decoding is synchronous: no promise per record for it.
      const pending = this.decode(raws[i]!);
      const decoded = pending instanceof Promise ? await pending : pending;
      if (typeof decoded === 'string') outcomes[i] = decoded;
      else {
        entries.push(decoded);
        at.push(i);
      }
    }
    if (entries.length === 0) return outcomes;
    const handler = this.target.getHandler(raws[0]!.topic);
    const results = handler ? await this.handle(handler, entries) : entries.map((e) => this.noHandler(e.raw));
    for (let k = 0; k < at.length; k++) outcomes[at[k]!] = results[k]!;
    return outcomes;
  }

  /** Parser warnings, logged with the record's place (one bound function, not a closure per record). */
  private readonly onParseWarning = (w: ParseWarning, raw: Message, detail?: string): void =>
    this.options.logger.warn(
      `${w === 'invalid-json' ? `Invalid JSON (${detail}), passed on as a string` : 'Empty or null value, the handler gets the whole message'} at ${where(raw)}`,
      CTX,
    );

  /** A record ready for the handler, or the outcome of one that is not. */
  private decode(raw: Message): Entry | HandlingOutcome | Promise<Entry | HandlingOutcome> {
    const { parser, logger, maxValueBytes } = this.options;
    if (raw.error) return this.finalFor(raw, 'Could not read', new KafkaException(raw.error), 'unreadable');
    if (raw.length > maxValueBytes) {
      logger.error(`Skipped ${where(raw)}: value of ${raw.length} bytes exceeds maxValueBytes (${maxValueBytes})`, undefined, CTX);
      return 'skipped';
    }
    if (!parser.isSynchronous) return this.decodeWithRetries(raw);
    let parsed: RdKafkaParsedMessage;
    try {
      parsed = parser.parseSync(raw, this.onParseWarning);
    } catch (err) {
      return this.finalFor(raw, 'Could not decode', deserializationError(raw, err), 'undecodable');
    }
    return this.entry(raw, parsed);
  }

  /** A configured deserializer may depend on a registry that is briefly unreachable: the policy's retries apply. */
  private async decodeWithRetries(raw: Message): Promise<Entry | HandlingOutcome> {
    let parsed: RdKafkaParsedMessage | undefined;
    let last: unknown;
    const outcome = await runWithPolicy(
      async () => void (parsed = await this.options.parser.parse(raw, this.onParseWarning)),
      this.options.policy,
      (err, n, willRetry) => {
        const e = (last = deserializationError(raw, err));
        const next = willRetry ? 'retrying' : 'giving up';
        this.options.logger.error(`Could not decode ${where(raw)} (attempt ${n}, ${next}): ${describe(e)}`, e.stack, CTX);
      },
      this.options.signal,
    );
    if (outcome === 'done') return this.entry(raw, parsed!);
    // Given up after the policy's retries: its final step, the dead-letter topic included (logged above).
    if (outcome === 'routed') return this.options.failures?.route({ raw, error: last, attempts: 1, failure: 'undecodable' }) ?? 'skipped';
    return outcome;
  }

  private entry(raw: Message, parsed: RdKafkaParsedMessage): Entry | HandlingOutcome | Promise<HandlingOutcome> {
    try {
      // Nest's KafkaRequestDeserializer: the value, or the whole message for a tombstone.
      return { raw, data: parsed.value ?? parsed, ctx: this.target.createContext(parsed, raw) };
    } catch (err) {
      return this.finalFor(raw, 'Could not dispatch', err, 'dispatch');
    }
  }

  /** Runs the handler with the batch under the error policy; @returns an outcome per entry */
  private async handle(handler: MessageHandler, entries: Entry[]): Promise<HandlingOutcome[]> {
    let pending = entries;
    const attempt = async (): Promise<void> => {
      for (const e of pending) e.attempts = (e.attempts ?? 0) + 1;
      const failures = new RdKafkaBatchFailures();
      const ctx = new RdKafkaBatchContext([pending.map((e) => e.ctx), failures]);
      try {
        await this.watched(
          this.target.runEvent(
            handler,
            pending.map((e) => e.data),
            ctx,
          ),
          pending[0]!.raw,
        );
      } catch (err) {
        for (const e of pending) e.error = err;
        throw err;
      }
      if (failures.size === 0) return void (pending = []);
      const marked = failures.entries().map(([i, err]) => Object.assign(pending[i]!, { error: err }));
      const of = pending.length;
      pending = marked;
      throw new BatchPartlyFailedError(marked.length, of, marked[0]!.error);
    };
    const outcome = await runWithPolicy(
      attempt,
      this.options.policy,
      (err, n, willRetry) => {
        for (const e of pending) this.options.onFailure?.(e.raw.topic, willRetry, e.error);
        this.logFailure(pending, err, n, willRetry);
      },
      this.options.signal,
    );
    const failed = new Set(pending);
    const outcomes: HandlingOutcome[] = [];
    let stopped = false;
    for (const e of entries) {
      if (outcome === 'done' || !failed.has(e)) outcomes.push('done');
      else if (outcome === 'aborted' || stopped) outcomes.push('aborted');
      else {
        // One by one, in offset order: a stop (or a dead-letter write that fell back to stop) holds the rest.
        const final = await this.finalFor(e.raw, 'Handler failed on', e.error, 'handler', e.attempts);
        stopped = final === 'stopped';
        outcomes.push(final);
      }
    }
    return outcomes;
  }

  /** One attempt under the watchdog's time limit (named after the batch's first record). */
  private async watched(run: Promise<unknown>, first: Message): Promise<void> {
    const { watchdog } = this.options;
    const completed = run.then((r) => (isObservable(r) ? lastValueFrom(r, { defaultValue: undefined }) : r));
    await (watchdog.idle ? completed : watchdog.watch(completed, first, this.target.patternOf(first.topic)));
  }

  private logFailure(pending: readonly Entry[], err: unknown, n: number, willRetry: boolean): void {
    const first = pending[0]!.raw;
    const last = pending[pending.length - 1]!.raw;
    const span = pending.length === 1 ? where(first) : `${where(first)}..${last.offset}`;
    this.options.logger.error(
      `Batch handler failed on ${span} (${pending.length} records, attempt ${n}, ${willRetry ? 'retrying' : 'giving up'}): ${describe(err)}`,
      (err as Error)?.stack,
      CTX,
    );
  }

  /**
   * The error policy's final step for one record: the same outcome a single record gets (`skip`, `stop`, a retry
   * policy's `then`, or the dead-letter topic), logged with the record's place. Every record the policy gives up
   * on passes here, one by one, as single records do.
   * @param failure what failed; anything but `handler` is a failure no retry can change
   * @param attempts handler attempts made on the record (the dead-letter header)
   */
  private finalFor(
    raw: Message,
    what: string,
    err: unknown,
    failure: FailureKind,
    attempts = 1,
  ): HandlingOutcome | Promise<HandlingOutcome> {
    return finalStep(this.options, raw, what, err, failure, attempts);
  }

  private noHandler(raw: Message): HandlingOutcome {
    this.options.logger.error(
      `There is no matching event handler defined in the remote service. Event pattern: ${raw.topic} (${where(raw)})`,
      undefined,
      CTX,
    );
    return 'skipped';
  }
}
