import { Message } from '../../../lib/client/message.js';
import type { ProduceRecord } from '../../../lib/client/produce-args.js';
import { type CoalescedProducer, ProduceCoalescer } from '../../../lib/transport/produce-coalescer.js';
import { until } from './helpers/wait.js';

/** A producer that records what reached it and reports delivery at once; `length` is set by the test. */
class RecordingProducer implements CoalescedProducer {
  readonly produced: string[] = [];
  length = 0;

  produceAsync(topic: string, record: Omit<ProduceRecord, 'onDelivery'> = {}): Promise<Message> {
    this.produced.push(String(record.value));
    return Promise.resolve(new Message({ topic, partition: 0, offset: this.produced.length - 1, value: record.value as Buffer }));
  }

  poll(): Promise<number> {
    return Promise.resolve(0);
  }
}

const value = (s: string) => ({ value: Buffer.from(s) });

describe('ProduceCoalescer', () => {
  let producer: RecordingProducer;
  beforeEach(() => {
    producer = new RecordingProducer();
  });

  it('hands a record to librdkafka at once while the producer is idle (no linger at low load)', async () => {
    const c = new ProduceCoalescer(() => producer, { busyAt: 2, holdMs: 1000 });
    const delivered = c.produce('t', value('a'));
    // Synchronously: no timer stands between an idle producer and the broker.
    expect(producer.produced).toEqual(['a']);
    expect((await delivered).offset).toBe(0);
  });

  it('holds records while busyAt are in flight and hands them over together, in order', async () => {
    const c = new ProduceCoalescer(() => producer, { busyAt: 2, holdMs: 60_000 });
    producer.length = 2;
    const ps = ['a', 'b', 'c'].map((s) => c.produce('t', value(s)));
    expect(producer.produced).toEqual([]);
    // Once one is held, a later one waits behind it even when the producer has become idle: order is kept.
    producer.length = 0;
    ps.push(c.produce('t', value('d')));
    expect(producer.produced).toEqual([]);
    c.release();
    expect(producer.produced).toEqual(['a', 'b', 'c', 'd']);
    expect((await Promise.all(ps)).map((m) => m.offset)).toEqual([0, 1, 2, 3]);
  });

  it('releases held records on its own after holdMs', async () => {
    const c = new ProduceCoalescer(() => producer, { busyAt: 1, holdMs: 5 });
    producer.length = 1;
    const held = c.produce('t', value('a'));
    expect(producer.produced).toEqual([]);
    await until(() => producer.produced.length === 1, 'the held record to be released by its timer');
    expect((await held).offset).toBe(0);
  });

  it('never holds when the user set linger.ms (null options): librdkafka batches as told', () => {
    const c = new ProduceCoalescer(() => producer, null);
    producer.length = 1000;
    void c.produce('t', value('a'));
    void c.produce('t', value('b'));
    expect(producer.produced).toEqual(['a', 'b']);
  });

  it('fails held records when the producer is gone by the time they are released', async () => {
    let current: RecordingProducer | null = producer;
    const c = new ProduceCoalescer(() => current, { busyAt: 1, holdMs: 60_000 });
    producer.length = 1;
    const held = c.produce('t', value('a'));
    current = null;
    c.release();
    await expect(held).rejects.toThrow('not connected');
  });
});
