import type { RebalanceCallbacks } from '../../../lib/client/consumer-rebalance.js';
import { Message } from '../../../lib/client/message.js';
import { TopicPartition } from '../../../lib/client/topic-partition.js';
import type { HandlingOutcome } from '../../../lib/transport/server/handler-error.policy.js';
import { type ConsumeLoopOptions, type LoopConsumer, ServerConsumeLoop } from '../../../lib/transport/server/server-consume-loop.js';
import { CaptureLogger } from '../../integration/helpers/capture-logger.js';

/** A consumer with an endless backlog on one partition: every consumeBatch() returns as many records as asked. */
class BacklogConsumer implements LoopConsumer {
  readonly asked: number[] = [];
  callbacks: RebalanceCallbacks<unknown> = {};
  private next = 0;

  subscribe(_topics: Array<string | RegExp>, callbacks: RebalanceCallbacks<unknown>): void { this.callbacks = callbacks; }
  async consumeBatch(max: number): Promise<Message[]> {
    this.asked.push(max);
    await new Promise((r) => setTimeout(r, 1));
    return Array.from({ length: max }, () => new Message({ topic: 't', partition: 0, offset: this.next++ }));
  }
  async commit(): Promise<TopicPartition[]> { return []; }
  assignment(): TopicPartition[] { return []; }
  pause(): void {}
  resume(): void {}
  async seek(): Promise<void> {}
}

/** Handlers that never finish. */
const hung = { process: (): Promise<HandlingOutcome> => new Promise(() => undefined) };

function options(o: Partial<ConsumeLoopOptions>): ConsumeLoopOptions {
  return {
    concurrency: 1, byKey: false, batchSize: 4, maxBuffered: 10, manualCommit: false, drainTimeoutMs: 1000,
    commitIntervalMs: 60_000, groupId: 'g', logger: new CaptureLogger(), onStatus: () => undefined, ...o,
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('ServerConsumeLoop', () => {
  it('never buffers more than maxBuffered records: it consumes at most the free space', async () => {
    const consumer = new BacklogConsumer();
    const loop = new ServerConsumeLoop(consumer, hung, options({ batchSize: 4, maxBuffered: 10, drainTimeoutMs: 0 }));
    await loop.start(['t']);
    await until(() => loop.flow.size >= 10);
    await new Promise((r) => setTimeout(r, 120));
    expect(loop.flow.size).toBe(10);
    expect(consumer.asked.slice(0, 3)).toEqual([4, 4, 2]);
    await loop.stop();
  });

  it('gives close() one drain deadline: the revocation on leaving the group waits only what is left', async () => {
    const consumer = new BacklogConsumer();
    const loop = new ServerConsumeLoop(consumer, hung, options({ drainTimeoutMs: 300 }));
    await loop.start(['t']);
    await until(() => loop.flow.size > 0);
    const t0 = Date.now();
    await loop.stop();
    // What consumer.close() triggers: the partitions are revoked while the hung handler still runs.
    await consumer.callbacks.onRevoke?.(consumer, [new TopicPartition('t', 0)]);
    const ms = Date.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(450);
  });

  it('still waits the whole drainTimeoutMs for a revocation while running (a rebalance)', async () => {
    const consumer = new BacklogConsumer();
    const loop = new ServerConsumeLoop(consumer, hung, options({ drainTimeoutMs: 100 }));
    await loop.start(['t']);
    await until(() => loop.flow.size > 0);
    const t0 = Date.now();
    await consumer.callbacks.onRevoke?.(consumer, [new TopicPartition('t', 0)]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
    await loop.stop();
  });
});
