import type { WritePacket } from '@nestjs/microservices';
import { Message } from '../../../../lib/index.js';
import { RequestTimeoutError } from '../../../../lib/transport/errors/request-timeout.error.js';
import type { HandlingOutcome } from '../../../../lib/transport/server/handler-error.policy.js';
import { RdKafkaMetrics } from '../../../../lib/observability/metrics/index.js';
import {
  measuredBatches,
  measuredDispatcher,
  type ProcessesBatches,
} from '../../../../lib/observability/metrics/transport/measured-dispatcher.js';
import { timedRequest } from '../../../../lib/observability/metrics/transport/timed-request.js';

const record = (topic: string): Message => new Message({ topic, partition: 0, offset: 0, value: Buffer.from('{}') });
const value = (
  m: RdKafkaMetrics,
  key: Parameters<RdKafkaMetrics['collectValues']>[0],
  labels: Record<string, string>,
): number | undefined => m.collectValues(key).find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

describe('measuredDispatcher', () => {
  it('counts a synchronous outcome at once and an asynchronous one when it settles, keeping the in-flight gauge', async () => {
    const metrics = new RdKafkaMetrics({ openTelemetry: false });
    let finish!: (o: HandlingOutcome) => void;
    const pending = new Promise<HandlingOutcome>((r) => (finish = r));
    const outcomes: (HandlingOutcome | Promise<HandlingOutcome>)[] = ['skipped', pending];
    const dispatcher = measuredDispatcher({ process: () => outcomes.shift()! }, metrics, 'g');

    expect(dispatcher.process(record('t'))).toBe('skipped');
    const second = dispatcher.process(record('t'));
    expect(value(metrics, 'inFlight', { group: 'g' })).toBe(1);
    expect(value(metrics, 'handled', { topic: 't', outcome: 'skipped' })).toBe(1);
    finish('done');
    expect(await second).toBe('done');
    expect(value(metrics, 'inFlight', { group: 'g' })).toBe(0);
    expect(value(metrics, 'handled', { topic: 't', outcome: 'success' })).toBe(1);
    expect(metrics.collectHistograms('handlerDuration')[0]).toMatchObject({ labels: { topic: 't' }, count: 2 });
  });

  it('counts forwarded and dead-lettered records, and a retry not yet due only once it is handled', () => {
    const metrics = new RdKafkaMetrics({ openTelemetry: false });
    const outcomes: HandlingOutcome[] = ['forwarded', 'dead-lettered', 'deferred'];
    const dispatcher = measuredDispatcher({ process: () => outcomes.shift()! }, metrics, 'g');
    for (let i = 0; i < 3; i++) dispatcher.process(record('t'));
    expect(value(metrics, 'handled', { topic: 't', outcome: 'forwarded' })).toBe(1);
    expect(value(metrics, 'handled', { topic: 't', outcome: 'dead_lettered' })).toBe(1);
    expect(value(metrics, 'deadLettered', { topic: 't' })).toBe(1);
    expect(metrics.collectHistograms('handlerDuration')[0]).toMatchObject({ count: 2 });
    expect(value(metrics, 'inFlight', { group: 'g' })).toBe(0);
  });

  it("counts each record of a batch with its own outcome and the batch's time, in flight until the batch ends", async () => {
    const metrics = new RdKafkaMetrics({ openTelemetry: false });
    let finish!: (o: HandlingOutcome[]) => void;
    const batches = measuredBatches<ProcessesBatches>({ process: () => new Promise<HandlingOutcome[]>((r) => (finish = r)) }, metrics, 'g');
    const done = batches.process([record('t'), record('t'), record('t')]);
    expect(value(metrics, 'inFlight', { group: 'g' })).toBe(3);
    finish(['done', 'dead-lettered', 'done']);
    expect(await done).toEqual(['done', 'dead-lettered', 'done']);
    expect(value(metrics, 'inFlight', { group: 'g' })).toBe(0);
    expect(value(metrics, 'handled', { topic: 't', outcome: 'success' })).toBe(2);
    expect(value(metrics, 'handled', { topic: 't', outcome: 'dead_lettered' })).toBe(1);
    expect(value(metrics, 'deadLettered', { topic: 't' })).toBe(1);
    expect(metrics.collectHistograms('handlerDuration')[0]).toMatchObject({ labels: { topic: 't' }, count: 3 });
  });

  it('keeps the in-flight gauge right when the dispatcher throws or rejects', async () => {
    const metrics = new RdKafkaMetrics({ openTelemetry: false });
    const boom = (): never => {
      throw new Error('boom');
    };
    expect(() => measuredDispatcher({ process: boom }, metrics, 'g').process(record('t'))).toThrow('boom');
    const rejecting = measuredDispatcher({ process: () => Promise.reject(new Error('late')) }, metrics, 'g');
    await expect(rejecting.process(record('t'))).rejects.toThrow('late');
    expect(value(metrics, 'inFlight', { group: 'g' })).toBe(0);
  });
});

describe('timedRequest', () => {
  it("times a request once, at its final reply, by outcome; a stream's earlier replies do not end it", () => {
    const metrics = new RdKafkaMetrics({ openTelemetry: false });
    const got: WritePacket[] = [];
    const ok = timedRequest(metrics, 'rpc', (p) => void got.push(p));
    ok({ response: 1 });
    ok({ response: 2, isDisposed: true });
    ok({ isDisposed: true });
    timedRequest(metrics, 'rpc', () => undefined)({ err: new RequestTimeoutError('rpc', 100, 'id') });
    timedRequest(metrics, 'rpc', () => undefined)({ err: 'refused', isDisposed: true });
    expect(got).toHaveLength(3);
    const counts = Object.fromEntries(metrics.collectHistograms('requestDuration').map((h) => [h.labels.outcome, h.count]));
    expect(counts).toEqual({ success: 1, timeout: 1, error: 1 });
    expect(value(metrics, 'requestTimeouts', { topic: 'rpc' })).toBe(1);
  });
});
