import type { Message } from '../../client/message.js';
import { KafkaException, KeyDeserializationError, ValueDeserializationError } from '../../errors/index.js';
import type { FailureKind } from './dead-letter/dead-letter.headers.js';
import { finalOutcome, type HandlingOutcome } from './handler-error.policy.js';
import type { RecordDispatcherOptions } from './record-dispatcher.js';
import { where } from './record-place.js';

/**
 * The error policy's final step for one record the dispatchers give up on (single records and the records of a
 * batch alike): skip, stop, or the retry or dead-letter topic, logged with the record's place.
 * @param failure what failed; anything but `handler` is a failure no retry can change, told of here (a handler's
 *   failures were told of with its attempts)
 * @param attempts handler attempts made on the record (the dead-letter header)
 * @internal
 */
export function finalStep(
  options: Pick<RecordDispatcherOptions, 'policy' | 'logger' | 'onFailure' | 'failures'>,
  raw: Message,
  what: string,
  err: unknown,
  failure: FailureKind,
  attempts: number,
): HandlingOutcome | Promise<HandlingOutcome> {
  const outcome = finalOutcome(options.policy);
  if (failure !== 'handler') options.onFailure?.(raw.topic, false, err);
  const doing = outcome === 'stopped' ? 'stopping' : outcome === 'routed' ? 'dead-lettering' : 'skipping';
  const noRetry = failure === 'handler' ? '' : ', without retries: the same bytes fail the same way';
  options.logger.error(
    `${what} ${where(raw)} (${doing} it by the error policy${noRetry}): ${describe(err)}`,
    (err as Error)?.stack,
    'ServerRdKafka',
  );
  if (outcome !== 'routed') return outcome;
  return options.failures?.route({ raw, error: err, attempts, failure }) ?? 'skipped';
}

/** A decoding failure as the typed error naming the record's place (a deserializer's own error is kept). @internal */
export function deserializationError(raw: Message, err: unknown): KafkaException {
  if (err instanceof ValueDeserializationError || err instanceof KeyDeserializationError) return err;
  return new ValueDeserializationError(err instanceof Error ? err.message : String(err), raw, err);
}

/** An error for a log line: `Name: message`, else its JSON (a thrown plain value), else its string. @internal */
export function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
