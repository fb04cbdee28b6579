import type { MessageHandler } from '@nestjs/microservices';
import { Consumer } from '../../../../../lib/client/consumer.js';
import { Message } from '../../../../../lib/client/message.js';
import { Producer } from '../../../../../lib/client/producer.js';
import { ErrorCode, KafkaError } from '../../../../../lib/errors/index.js';
import { FakeKafka } from '../../../../../lib/testing/index.js';
import { RdKafkaContext } from '../../../../../lib/transport/context/rdkafka.context.js';
import { RdKafkaParser } from '../../../../../lib/transport/serdes/rdkafka.parser.js';
import type { FailedRecord, RoutedOutcome } from '../../../../../lib/transport/server/dead-letter/failure-router.js';
import type { HandlerErrorPolicy } from '../../../../../lib/transport/server/handler-error.policy.js';
import { HandlerWatchdog } from '../../../../../lib/transport/server/handler-watchdog.js';
import { RecordDispatcher } from '../../../../../lib/transport/server/record-dispatcher.js';
import { CaptureLogger } from '../../../../integration/helpers/capture-logger.js';

const kafka = new FakeKafka();
const consumer = new Consumer({ 'group.id': 'g' }, kafka.binding);
const producer = new Producer({}, {}, kafka.binding);
const noControls = { commit: async () => undefined, seek: async () => undefined, pause: () => undefined, resume: () => undefined };

/** A dispatcher whose event handler fails `failures` times, with a stub failure router (or none). */
function setup(policy: HandlerErrorPolicy, router: 'stub' | 'none' = 'stub', failures = Infinity, parser = new RdKafkaParser()) {
  const routed: FailedRecord[] = [];
  let runs = 0;
  const handler = Object.assign(async () => undefined, { isEventHandler: true }) as MessageHandler;
  const logger = new CaptureLogger();
  const d = new RecordDispatcher(
    {
      getHandler: () => handler,
      runEvent: async () => {
        if (++runs <= failures) throw new Error(`fail ${runs}`);
      },
      runRequest: async () => undefined,
      replyError: async () => undefined,
      patternOf: (t) => t,
      createContext: (parsed, raw) => new RdKafkaContext([parsed, raw, consumer, producer, noControls]),
    },
    {
      parser,
      logger,
      policy,
      maxValueBytes: Infinity,
      signal: new AbortController().signal,
      watchdog: new HandlerWatchdog({ timeoutMs: 0, warnAfterMs: 0, logger }),
      failures:
        router === 'none'
          ? undefined
          : {
              route: async (f: FailedRecord): Promise<RoutedOutcome> => (routed.push(f), 'dead-lettered'),
              notDueUntil: (raw: Message) => (raw.topic === 'orders.retry.1' ? Date.now() + 60_000 : undefined),
            },
    },
  );
  return { d, routed, runs: () => runs };
}

const record = (topic = 'orders', value = '{"a":1}') => new Message({ topic, partition: 0, offset: 3, value: Buffer.from(value) });

describe('RecordDispatcher with the dead-letter policy', () => {
  it('hands a handler failure to the router with its last error and attempt count after in-place retries', async () => {
    const { d, routed, runs } = setup({ mode: 'retry', retries: 2, initialBackoffMs: 1, then: 'dead-letter' });
    expect(await d.process(record())).toBe('dead-lettered');
    expect(runs()).toBe(3);
    expect(routed).toEqual([expect.objectContaining({ attempts: 3, failure: 'handler', request: false })]);
    expect((routed[0]!.error as Error).message).toBe('fail 3');
  });

  it('does not route a record that succeeded on a retry', async () => {
    const { d, routed } = setup({ mode: 'retry', retries: 2, initialBackoffMs: 1, then: 'dead-letter' }, 'stub', 1);
    expect(await d.process(record())).toBe('done');
    expect(routed).toEqual([]);
  });

  it('routes a record the client layer could not read as unreadable, without running the handler', async () => {
    const { d, routed, runs } = setup({ mode: 'retry', retries: 2, initialBackoffMs: 1, then: 'dead-letter' });
    const raw = new Message({
      topic: 'orders',
      partition: 0,
      offset: 3,
      value: Buffer.from('{}'),
      error: new KafkaError(ErrorCode._BAD_MSG, 'bad header'),
    });
    expect(await d.process(raw)).toBe('dead-lettered');
    expect(runs()).toBe(0);
    expect(routed).toEqual([expect.objectContaining({ attempts: 1, failure: 'unreadable' })]);
  });

  it('routes a record its deserializer keeps refusing as undecodable, after the policy retries', async () => {
    const parser = new RdKafkaParser({
      valueDeserializer: {
        deserialize: async () => {
          throw new Error('unknown magic byte');
        },
      },
    });
    const { d, routed, runs } = setup({ mode: 'retry', retries: 1, initialBackoffMs: 1, then: 'dead-letter' }, 'stub', Infinity, parser);
    expect(await d.process(record())).toBe('dead-lettered');
    expect(runs()).toBe(0);
    expect(routed).toEqual([expect.objectContaining({ attempts: 2, failure: 'undecodable' })]);
    expect((routed[0]!.error as Error).name).toBe('ValueDeserializationError');
  });

  it('defers a retry topic record that is not due, without running its handler', async () => {
    const { d, runs } = setup({ mode: 'dead-letter' });
    expect(await d.process(record('orders.retry.1'))).toBe('deferred');
    expect(runs()).toBe(0);
  });

  it('giveUp applies the final step for a caller (batch handlers): skip, stop or the router', async () => {
    expect(await setup({ mode: 'skip' }).d.giveUp(record(), new Error('x'), 2)).toBe('skipped');
    expect(await setup({ mode: 'retry', then: 'stop' }).d.giveUp(record(), new Error('x'), 2)).toBe('stopped');
    const s = setup({ mode: 'dead-letter' });
    expect(await s.d.giveUp(record(), new Error('x'), 2)).toBe('dead-lettered');
    expect(s.routed).toEqual([expect.objectContaining({ attempts: 2, failure: 'handler' })]);
    // Without a router (not configured) a dead-letter decision skips, as before.
    expect(await setup({ mode: 'dead-letter' }, 'none').d.giveUp(record(), new Error('x'), 1)).toBe('skipped');
  });
});
