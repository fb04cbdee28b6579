import type { MessageHandler } from '@nestjs/microservices';
import type { BatchDispatcher } from './batch-dispatcher.js';
import { type BatchBounds, handlerBatchBounds } from './batch.options.js';
import type { LoopBatches } from './loop-batches.js';

/**
 * The batch bounds of the handler serving each topic, resolved once per topic: the scheduler asks per record,
 * and a batch only takes records whose bounds are the same object as its first record's.
 * @internal
 */
export class BatchHandlers {
  private readonly byTopic = new Map<string, BatchBounds | null>();

  /** @param handlerOf the server's (cached) handler lookup by topic */
  constructor(private readonly handlerOf: (topic: string) => MessageHandler | null) {}

  boundsOf(topic: string): BatchBounds | null {
    let bounds = this.byTopic.get(topic);
    if (bounds === undefined) this.byTopic.set(topic, (bounds = handlerBatchBounds(this.handlerOf(topic))));
    return bounds;
  }

  /** What the consume loop needs: these bounds, and the dispatcher that runs batches. */
  forLoop(dispatcher: BatchDispatcher): LoopBatches {
    return { boundsOf: (topic) => this.boundsOf(topic), process: (records) => dispatcher.process(records) };
  }

  /** Handlers were added: bounds are looked up again. */
  clear(): void {
    this.byTopic.clear();
  }

  /**
   * Checks every handler's batch options (so a bad bound fails `listen()` rather than a record later).
   * @returns the largest `maxRecords` of any batch handler, 0 when there is none
   * @throws RangeError naming the bound that is not valid
   */
  static check(handlers: Iterable<MessageHandler>): number {
    let largest = 0;
    for (const h of handlers) {
      // Event handlers of one pattern are chained through `next` (Nest's rule).
      for (let link: MessageHandler | undefined = h; link; link = link.next)
        largest = Math.max(largest, handlerBatchBounds(link)?.maxRecords ?? 0);
    }
    return largest;
  }
}
