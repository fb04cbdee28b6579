import { ErrorCode, KafkaError, fromNativeError } from '../errors/index.js';
import { Message } from './message.js';
import { messageFromNative } from './native-convert.js';
import type { NativeConsumer, NativeMessage } from './native/index.js';

interface EofEvent { topic: string; partition: number; offset: number }

/**
 * One native batch: up to `max` messages, ending when `waitMs` passes with no new message. End-of-partition
 * events (node-rdkafka emits them beside the batch) come back as Messages with error `_PARTITION_EOF`, in
 * the position librdkafka reported them; an error with no messages comes back as one error Message, as in
 * confluent_kafka.
 * @param eofEvents whether `enable.partition.eof` is on: only then are EOF events placed (a listener per
 *   message costs time on every batch)
 * @internal
 */
export function consumeNativeBatch(native: NativeConsumer, max: number, waitMs: number, eofEvents = true): Promise<Message[]> {
  native.setDefaultConsumeTimeout(waitMs);
  if (!eofEvents) {
    return new Promise((resolve) => {
      native.consume(max, (err: unknown, messages: NativeMessage[]) => resolve(err ? errorBatch(err) : messages.map(messageFromNative)));
    });
  }
  const emitter = native as unknown as NodeJS.EventEmitter;
  let seen = 0;
  const eofs: Array<{ at: number; eof: EofEvent }> = [];
  const onData = () => { seen++; };
  const onEof = (eof: EofEvent) => { eofs.push({ at: seen, eof }); };
  emitter.on('data', onData);
  emitter.on('partition.eof', onEof);
  return new Promise((resolve) => {
    native.consume(max, (err: unknown, messages: NativeMessage[]) => {
      emitter.off('data', onData);
      emitter.off('partition.eof', onEof);
      if (err) return resolve(errorBatch(err));
      if (eofs.length === 0) return resolve(messages.map(messageFromNative));
      const out: Message[] = [];
      let e = 0;
      for (let i = 0; i <= messages.length; i++) {
        while (e < eofs.length && eofs[e]!.at <= i) out.push(eofMessage(eofs[e++]!.eof));
        if (i < messages.length) out.push(messageFromNative(messages[i]!));
      }
      resolve(out);
    });
  });
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
