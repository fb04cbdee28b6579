import type { Message } from '../client/message.js';
import type { Producer } from '../client/producer.js';
import type { ProduceRecord } from '../client/produce-args.js';
import { produceWithBackpressure } from './produce-with-backpressure.js';

/** What the coalescer needs of a producer: produce, serve reports when full, and how many are in flight. @internal */
export type CoalescedProducer = Pick<Producer, 'produceAsync' | 'poll'> & Partial<Pick<Producer, 'length'>>;

/** @internal */
export interface CoalescingOptions {
  /** Records produced and not yet reported at or above which new records are held. */
  busyAt: number;
  /** How long held records wait before they go to librdkafka together. */
  holdMs: number;
}

type Held = { topic: string; record: Omit<ProduceRecord, 'onDelivery'>; resolve: (m: Message) => void; reject: (e: unknown) => void };

/**
 * The transport's linger, adaptive (Nagle's rule): with librdkafka's `linger.ms` at 0, a record goes to the
 * broker at once while the producer is idle, so a request or reply at low concurrency waits for nothing; while
 * `busyAt` or more records are in flight, new records are held here for `holdMs` and handed over together, so
 * under load they leave in batches as with `linger.ms` 1. (librdkafka's own linger cannot be both: it waits on
 * millisecond timers from the first record on, about 1.3 ms per leg at concurrency 1, and `linger.ms` 0 made
 * every request a produce request of its own, twice the CPU per request at concurrency 16.) Records keep their
 * order: once one is held, every later one is held behind it.
 * @internal
 */
export class ProduceCoalescer {
  private held: Held[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** @param options null: no holding, every record goes to librdkafka at once (the user set `linger.ms`) */
  constructor(
    private readonly producer: () => CoalescedProducer | null,
    private readonly options: CoalescingOptions | null,
  ) {}

  /** `produceWithBackpressure`, held first while the producer is busy; resolves with the delivery report. */
  produce(topic: string, record: Omit<ProduceRecord, 'onDelivery'>): Promise<Message> {
    const producer = this.producer();
    if (!producer) return Promise.reject(new Error('The producer is not connected'));
    const o = this.options;
    if (!o || (this.held.length === 0 && (producer.length ?? 0) < o.busyAt)) return produceWithBackpressure(producer, topic, record);
    return new Promise<Message>((resolve, reject) => {
      this.held.push({ topic, record, resolve, reject });
      this.timer ??= setTimeout(() => this.release(), o.holdMs);
    });
  }

  /** Hands every held record to librdkafka now, in order (also before a flush or close). */
  release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    const producer = this.producer();
    for (const h of held) {
      if (!producer) h.reject(new Error('The producer is not connected'));
      else produceWithBackpressure(producer, h.topic, h.record).then(h.resolve, h.reject);
    }
  }
}
