import { ErrorCode, KafkaError, fromNativeError } from '../errors/index.js';
import { Message } from './message.js';
import { readRecord } from './native-convert.js';
import type { NativeMessage } from './native/index.js';

interface EofEvent {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * What a batch consume uses of node-rdkafka's `KafkaConsumer` (its batch `consume`, and the `data` /
 * `partition.eof` events it emits around the callback): the seam unit tests fill with a fake.
 * @internal
 */
export interface NativeBatchSource extends Pick<NodeJS.EventEmitter, 'on' | 'off'> {
  setDefaultConsumeTimeout(timeoutMs: number): void;
  consume(max: number, cb: (err: unknown, messages: NativeMessage[]) => void): void;
}

/**
 * One native batch: up to `max` messages, ending when `waitMs` passes with no new message. End-of-partition
 * events (node-rdkafka emits them beside the batch) come back as Messages with error `_PARTITION_EOF`, in
 * the position librdkafka reported them; an error with no messages comes back as one error Message, as in
 * confluent_kafka. A record that cannot be converted comes back in its place as an error Message (see
 * `readRecord`): nothing thrown here may escape from node-rdkafka's callback, where it would be an uncaught
 * exception that kills the process and loses the rest of the batch.
 * @param eofEvents whether `enable.partition.eof` is on: only then are EOF events placed (a listener per
 *   message costs time on every batch)
 * @internal
 */
export function consumeNativeBatch(native: NativeBatchSource, max: number, waitMs: number, eofEvents = true): Promise<Message[]> {
  native.setDefaultConsumeTimeout(waitMs);
  if (!eofEvents) {
    return new Promise((resolve) => {
      native.consume(max, (err: unknown, messages: NativeMessage[]) =>
        resolve(guarded(() => (err ? errorBatch(err) : messages.map(readRecord)))),
      );
    });
  }
  let seen = 0;
  const eofs: Array<{ at: number; eof: EofEvent }> = [];
  const onData = () => {
    seen++;
  };
  const onEof = (eof: EofEvent) => {
    eofs.push({ at: seen, eof });
  };
  native.on('data', onData);
  native.on('partition.eof', onEof);
  return new Promise((resolve) => {
    native.consume(max, (err: unknown, messages: NativeMessage[]) => {
      native.off('data', onData);
      native.off('partition.eof', onEof);
      resolve(guarded(() => (err ? errorBatch(err) : withEofs(messages, eofs))));
    });
  });
}

/** The batch with the EOF events in the places librdkafka reported them. */
function withEofs(messages: NativeMessage[], eofs: Array<{ at: number; eof: EofEvent }>): Message[] {
  if (eofs.length === 0) return messages.map(readRecord);
  const out: Message[] = [];
  let e = 0;
  for (let i = 0; i <= messages.length; i++) {
    while (e < eofs.length && eofs[e]!.at <= i) out.push(eofMessage(eofs[e++]!.eof));
    if (i < messages.length) out.push(readRecord(messages[i]!));
  }
  return out;
}

/**
 * Last line of defence inside node-rdkafka's callback (records are already guarded one by one): whatever
 * else throws becomes one `_FAIL` error Message rather than an uncaught exception.
 */
function guarded(build: () => Message[]): Message[] {
  try {
    return build();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return [
      new Message({
        topic: '',
        partition: -1,
        offset: -1001,
        error: new KafkaError(ErrorCode._FAIL, `Could not read a consumed batch: ${why}`),
      }),
    ];
  }
}

/** A failed consume: nothing for a timeout, else one error Message (confluent_kafka's way). */
function errorBatch(err: unknown): Message[] {
  const error = fromNativeError(err, ErrorCode._FAIL);
  return error.code === ErrorCode._TIMED_OUT ? [] : [new Message({ topic: '', partition: -1, offset: -1001, error })];
}

function eofMessage(eof: EofEvent): Message {
  return new Message({
    topic: eof.topic,
    partition: eof.partition,
    offset: eof.offset,
    error: new KafkaError(ErrorCode._PARTITION_EOF, `Fetch from broker reached end of partition at offset ${eof.offset}`),
  });
}
