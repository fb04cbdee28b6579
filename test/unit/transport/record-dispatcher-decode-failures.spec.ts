import type { MessageHandler } from '@nestjs/microservices';
import { Message } from '../../../lib/client/message.js';
import { ErrorCode, KafkaError, ValueDeserializationError } from '../../../lib/errors/index.js';
import type { RdKafkaContext } from '../../../lib/transport/context/rdkafka.context.js';
import { RdKafkaParser, type RdKafkaParsedMessage, type RdKafkaParserOptions } from '../../../lib/transport/serdes/rdkafka.parser.js';
import type { HandlerErrorPolicy, HandlingOutcome } from '../../../lib/transport/server/handler-error.policy.js';
import { HandlerWatchdog } from '../../../lib/transport/server/handler-watchdog.js';
import { type DispatchTarget, RecordDispatcher } from '../../../lib/transport/server/record-dispatcher.js';
import { CaptureLogger } from '../../integration/helpers/capture-logger.js';

/**
 * A server without Nest or Kafka: one event handler for every topic. Building a context needs a live consumer
 * and producer, so `createContext` records what the record decoded to and stops there: a record that reaches
 * it was routed to its handler.
 */
class FakeTarget implements DispatchTarget {
  readonly routed: unknown[] = [];
  readonly handler = Object.assign(async () => undefined, { isEventHandler: true }) as MessageHandler;
  getHandler(): MessageHandler { return this.handler; }
  runEvent(): Promise<unknown> { return Promise.resolve(); }
  runRequest(): Promise<void> { return Promise.resolve(); }
  replyError(): Promise<void> { return Promise.resolve(); }
  patternOf(topic: string): string { return topic; }
  createContext(parsed: RdKafkaParsedMessage): RdKafkaContext {
    this.routed.push(parsed.value);
    throw new Error('routed (no context in unit tests)');
  }
}

const record = (error: KafkaError | null = null) =>
  new Message({ topic: 'orders', partition: 2, offset: 9, value: Buffer.from('{"a":1}'), error });

function dispatcher(policy: HandlerErrorPolicy, parser: RdKafkaParserOptions = {}) {
  const target = new FakeTarget();
  const logger = new CaptureLogger();
  const d = new RecordDispatcher(target, { parser: new RdKafkaParser(parser), logger, policy, maxValueBytes: 1_000_000, signal: new AbortController().signal,
    watchdog: new HandlerWatchdog({ timeoutMs: 0, warnAfterMs: 0, logger }) });
  return { target, logger, process: (m: Message): Promise<HandlingOutcome> => Promise.resolve(d.process(m)) };
}

const unreadable = () => record(new KafkaError(ErrorCode._BAD_MSG, 'Could not read the record at orders[2]@9: header 0 has 2 names'));

describe('RecordDispatcher: records that cannot be read or decoded go through the error policy', () => {
  it.each<[HandlerErrorPolicy, HandlingOutcome]>([
    [{ mode: 'stop' }, 'stopped'],
    [{ mode: 'skip' }, 'skipped'],
    [{ mode: 'retry', retries: 3, initialBackoffMs: 10_000, then: 'stop' }, 'stopped'],
  ])('a record the client layer could not read ends as the policy %j ends, without retries', async (policy, outcome) => {
    const { target, logger, process } = dispatcher(policy);
    const t0 = Date.now();
    expect(await process(unreadable())).toBe(outcome);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(target.routed).toEqual([]);
    const lines = logger.of('error', 'ServerRdKafka').map((l) => l.message);
    expect(lines).toEqual([expect.stringMatching(/^Could not read orders\[2\]@9 \((stopping|skipping) it by the error policy, without retries.*KafkaException: .*orders\[2\]@9: header 0 has 2 names/)]);
  });

  it('retries a failing deserializer as the policy says, then routes the record it decoded', async () => {
    let calls = 0;
    const valueDeserializer = { deserialize: () => { if (++calls < 3) throw new Error('registry unreachable'); return 'decoded'; } };
    const { target, logger, process } = dispatcher({ mode: 'retry', retries: 3, initialBackoffMs: 1 }, { valueDeserializer });
    await process(record());
    expect(calls).toBe(3);
    expect(target.routed).toEqual(['decoded']);
    expect(logger.of('error').map((l) => l.message).slice(0, 2)).toEqual([
      expect.stringMatching(/^Could not decode orders\[2\]@9 \(attempt 1, retrying\): ValueDeserializationError: KafkaError\{code=_VALUE_DESERIALIZATION,.*"registry unreachable \(orders\[2\]@9\)"\}$/),
      expect.stringMatching(/^Could not decode orders\[2\]@9 \(attempt 2, retrying\)/),
    ]);
  });

  it('stops at a record its deserializer never decodes under a stop policy (it used to be skipped)', async () => {
    const valueDeserializer = { deserialize: () => { throw new ValueDeserializationError('unknown magic byte', { topic: 'orders', partition: 2, offset: 9 }); } };
    const { target, logger, process } = dispatcher({ mode: 'stop' }, { valueDeserializer });
    expect(await process(record())).toBe('stopped');
    expect(target.routed).toEqual([]);
    expect(logger.of('error').map((l) => l.message)).toEqual([expect.stringMatching(/^Could not decode orders\[2\]@9 \(attempt 1, giving up\): ValueDeserializationError: .*unknown magic byte/)]);
  });

  it('turns an exception while dispatching into a record failure instead of throwing', async () => {
    const { logger, process } = dispatcher({ mode: 'skip' });
    expect(await process(record())).toBe('skipped');
    expect(logger.of('error').map((l) => l.message)).toEqual([expect.stringMatching(/^Could not dispatch orders\[2\]@9 \(skipping it .*\): Error: routed/)]);
  });
});
