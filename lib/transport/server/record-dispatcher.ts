import type { LoggerService } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import type { Message } from '../../client/message.js';
import { ValueDeserializationError } from '../../errors/index.js';
import type { RdKafkaContext } from '../context/rdkafka.context.js';
import { KafkaHeaders } from '../kafka-headers.enum.js';
import type { ParseWarning, RdKafkaParsedMessage, RdKafkaParser } from '../serdes/rdkafka.parser.js';
import { type HandlerErrorPolicy, type HandlingOutcome, runWithPolicy } from './handler-error.policy.js';
import type { ReplyAddress } from './reply-publisher.js';

/** What the dispatcher needs from the server (Nest's handler registry and pipeline). @internal */
export interface DispatchTarget {
  getHandler(topic: string): MessageHandler | null;
  /**
   * Runs an event handler; rejects when it fails. It may resolve to an Observable the handler returned, which
   * the dispatcher then runs to completion (one promise hop less per record than awaiting it there).
   */
  runEvent(handler: MessageHandler, data: unknown, ctx: RdKafkaContext): Promise<unknown>;
  /**
   * Runs a request handler and publishes its replies; resolves after the final reply was produced. Rejects
   * only for `KafkaRetriableException` before the first reply (Nest's rule), other errors become error replies.
   */
  runRequest(handler: MessageHandler | null, data: unknown, ctx: RdKafkaContext, to: ReplyAddress): Promise<void>;
  createContext(parsed: RdKafkaParsedMessage, raw: Message): RdKafkaContext;
}

/** @internal */
export interface RecordDispatcherOptions {
  parser: RdKafkaParser;
  logger: LoggerService;
  policy: HandlerErrorPolicy;
  maxValueBytes: number;
  /** Aborted when the server closes: pending retries stop. */
  signal: AbortSignal;
}

/** `topic[partition]@offset`, how records are named in logs. @internal */
export function where(m: { topic: string; partition: number; offset: number }): string {
  return `${m.topic}[${m.partition}]@${m.offset}`;
}

/**
 * Handles one consumed record: size check, decoding (Nest's KafkaParser rules), event or request routing as
 * Nest's `ServerKafka` decides it, and the handler-error policy. Bad records (too large, undecodable) are logged
 * with their place and skipped so the stream goes on.
 * @internal
 */
export class RecordDispatcher {
  constructor(private readonly target: DispatchTarget, private readonly options: RecordDispatcherOptions) {}

  /** Parser warnings, logged with the record's place (one bound function, not a closure per record). */
  private readonly onParseWarning = (w: ParseWarning, raw: Message, detail?: string): void =>
    this.options.logger.warn(`${w === 'invalid-json' ? `Invalid JSON (${detail}), passed on as a string` : 'Empty or null value, the handler gets the whole message'} at ${where(raw)}`, 'ServerRdKafka');

  /**
   * @returns how handling ended, synchronously when no handler ran (a skipped record); the caller commits or
   * stops the partition accordingly
   */
  process(raw: Message): HandlingOutcome | Promise<HandlingOutcome> {
    const { logger, parser } = this.options;
    if (raw.length > this.options.maxValueBytes) {
      logger.error(`Skipped ${where(raw)}: value of ${raw.length} bytes exceeds maxValueBytes (${this.options.maxValueBytes})`, undefined, 'ServerRdKafka');
      return 'skipped';
    }
    // Without deserializers decoding is synchronous: no promise per record for it.
    if (parser.isSynchronous) {
      let parsed: RdKafkaParsedMessage;
      try {
        parsed = parser.parseSync(raw, this.onParseWarning);
      } catch (err) {
        return this.undecodable(raw, err);
      }
      return this.route(parsed, raw);
    }
    return parser.parse(raw, this.onParseWarning).then((parsed) => this.route(parsed, raw), (err: unknown) => this.undecodable(raw, err));
  }

  private undecodable(raw: Message, err: unknown): HandlingOutcome {
    const e = err instanceof ValueDeserializationError ? err : new ValueDeserializationError(String((err as Error)?.message ?? err), raw, err);
    this.options.logger.error(`Skipped ${where(raw)}: ${e.message}`, (err as Error)?.stack, 'ServerRdKafka');
    return 'skipped';
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
        this.options.logger.error(`There is no matching event handler defined in the remote service. Event pattern: ${raw.topic} (${where(raw)})`, undefined, 'ServerRdKafka');
        return 'skipped';
      }
      const ctx = this.target.createContext(parsed, raw);
      return this.withPolicy(raw, () => this.target.runEvent(handler, data, ctx));
    }
    const ctx = this.target.createContext(parsed, raw);
    const to: ReplyAddress = { topic: String(replyTopic), partition: parsed.headers[KafkaHeaders.REPLY_PARTITION], correlationId: String(correlationId) };
    return this.withPolicy(raw, () => this.target.runRequest(handler, data, ctx, to));
  }

  /**
   * The first attempt runs directly; only a failure enters the policy's retry loop. An Observable the attempt
   * resolved to runs to completion first, and its error is a failure too.
   */
  private withPolicy(raw: Message, attempt: () => Promise<unknown>): Promise<HandlingOutcome> {
    const failed = (first: unknown): Promise<HandlingOutcome> => {
      const completed = () => attempt().then((r) => (isObservable(r) ? streamEnd(r) : undefined));
      return runWithPolicy(completed, this.options.policy, (err, n, willRetry) => {
        const next = willRetry ? 'retrying' : 'giving up';
        this.options.logger.error(`Handler failed on ${where(raw)} (attempt ${n}, ${next}): ${describe(err)}`, (err as Error)?.stack, 'ServerRdKafka');
      }, this.options.signal, first);
    };
    return attempt().then((result) => (isObservable(result) ? streamEnd(result).then(done, failed) : 'done'), failed);
  }
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

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
