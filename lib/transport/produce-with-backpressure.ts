import { QueueFullError } from '../errors/index.js';
import type { Message } from '../client/message.js';
import type { Producer } from '../client/producer.js';
import type { ProduceRecord } from '../client/produce-args.js';

/** How many times a full local queue is waited out before the error is passed on. */
const QUEUE_FULL_RETRIES = 50;

/**
 * `produceAsync()` that waits when librdkafka's local queue is full (serving delivery reports) instead of
 * failing at once, so a burst of emits or replies slows down rather than errors. Bounded: after about five
 * seconds of a full queue the `QueueFullError` is passed on.
 * @internal
 */
export async function produceWithBackpressure(
  producer: Pick<Producer, 'produceAsync' | 'poll'>,
  topic: string,
  record: Omit<ProduceRecord, 'onDelivery'>,
): Promise<Message> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await producer.produceAsync(topic, record);
    } catch (err) {
      if (!(err instanceof QueueFullError) || attempt >= QUEUE_FULL_RETRIES) throw err;
      await producer.poll(100);
    }
  }
}
