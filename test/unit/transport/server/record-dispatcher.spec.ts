import { KafkaRetriableException, type MessageHandler } from '@nestjs/microservices';
import { Observable, of, throwError } from 'rxjs';
import { Consumer } from '../../../../lib/client/consumer.js';
import { Message, type MessageHeader } from '../../../../lib/client/message.js';
import { Producer } from '../../../../lib/client/producer.js';
import { ErrorCode, KafkaError, ValueDeserializationError } from '../../../../lib/errors/index.js';
import { FakeKafka } from '../../../../lib/testing/index.js';
import { RdKafkaContext, type RdKafkaContextControls } from '../../../../lib/transport/context/rdkafka.context.js';
import { RdKafkaParser } from '../../../../lib/transport/serdes/rdkafka.parser.js';
import type { HandlerErrorPolicy, HandlingOutcome } from '../../../../lib/transport/server/handler-error.policy.js';
import { HandlerWatchdog } from '../../../../lib/transport/server/handler-watchdog.js';
import { type DispatchTarget, RecordDispatcher } from '../../../../lib/transport/server/record-dispatcher.js';
import type { ReplyAddress } from '../../../../lib/transport/server/reply-address.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';

type Call = { kind: 'event'; data: unknown } | { kind: 'request'; data: unknown; to: ReplyAddress; handler: MessageHandler | null };

const kafka = new FakeKafka();
const consumer = new Consumer({ 'group.id': 'g' }, kafka.binding);
const producer = new Producer({}, {}, kafka.binding);
const controls: RdKafkaContextControls = {
  commit: async () => undefined,
  seek: async () => undefined,
  pause: () => undefined,
  resume: () => undefined,
};

function handlerOf(isEventHandler: boolean): MessageHandler {
  return Object.assign(async (data: unknown) => data, { isEventHandler });
}

function record(value: string | null, headers: MessageHeader[] = [], offset = 7, error: KafkaError | null = null): Message {
  return new Message({ topic: 'orders', partition: 2, offset, value: value === null ? null : Buffer.from(value), headers, error });
}

const REQUEST_HEADERS: MessageHeader[] = [
  ['kafka_correlationId', Buffer.from('c-1')],
  ['kafka_replyTopic', Buffer.from('orders.reply')],
  ['kafka_replyPartition', Buffer.from('3')],
];

interface Setup {
  handler?: MessageHandler | null;
  /** What runEvent/runRequest do; resolves by default. */
  run?: (attempt: number) => Promise<unknown>;
  policy?: HandlerErrorPolicy;
  parser?: RdKafkaParser;
  maxValueBytes?: number;
  signal?: AbortSignal;
  /** `handlerTimeoutMs` of the watchdog; 0 (none) by default. */
  timeoutMs?: number;
  /** createContext throws (an exception while dispatching). */
  contextFails?: boolean;
}

function dispatcher(s: Setup = {}) {
  const calls: Call[] = [];
  const errorReplies: { to: ReplyAddress; message: string }[] = [];
  const logger = new CaptureLogger();
  const run = s.run ?? (async () => undefined);
  const target: DispatchTarget = {
    getHandler: () => (s.handler === undefined ? handlerOf(true) : s.handler),
    runEvent: (_h, data) => {
      calls.push({ kind: 'event', data });
      return run(calls.length);
    },
    runRequest: async (handler, data, _ctx, to) => {
      calls.push({ kind: 'request', data, to, handler });
      await run(calls.length);
    },
    replyError: async (to, message) => {
      to.ended = true;
      errorReplies.push({ to, message });
    },
    patternOf: (topic) => `pattern-of-${topic}`,
    createContext: (parsed, raw) => {
      if (s.contextFails) throw new Error('no context');
      return new RdKafkaContext([parsed, raw, consumer, producer, controls]);
    },
  };
  const d = new RecordDispatcher(target, {
    parser: s.parser ?? new RdKafkaParser(),
    logger,
    policy: s.policy ?? { mode: 'skip' },
    maxValueBytes: s.maxValueBytes ?? Infinity,
    signal: s.signal ?? new AbortController().signal,
    watchdog: new HandlerWatchdog({ timeoutMs: s.timeoutMs ?? 0, warnAfterMs: 0, logger }),
  });
  return { d, calls, errorReplies, logger, process: (m: Message): Promise<HandlingOutcome> => Promise.resolve(d.process(m)) };
}

const fastRetry = (then: 'skip' | 'stop' = 'skip'): HandlerErrorPolicy => ({
  mode: 'retry',
  retries: 2,
  initialBackoffMs: 1,
  maxBackoffMs: 2,
  then,
});

describe('RecordDispatcher', () => {
  describe("routes as Nest's ServerKafka decides", () => {
    it('a request (correlation id and reply topic) to a request handler, with its reply address', async () => {
      const { d, calls } = dispatcher({ handler: handlerOf(false) });
      expect(await d.process(record('{"id":1}', REQUEST_HEADERS))).toBe('done');
      expect(calls).toEqual([
        {
          kind: 'request',
          data: { id: 1 },
          handler: expect.any(Function),
          to: expect.objectContaining({ topic: 'orders.reply', partition: 3, correlationId: 'c-1', problem: null }),
        },
      ]);
      expect((calls[0] as { to: ReplyAddress }).to.request).toEqual({ topic: 'orders', partition: 2, offset: 7 });
    });

    it.each([
      ['an event handler, even with request headers', true, REQUEST_HEADERS],
      ['no reply topic', false, [REQUEST_HEADERS[0]!]],
      ['no correlation id', false, [REQUEST_HEADERS[1]!]],
      ['an empty correlation id', false, [['kafka_correlationId', Buffer.from('')], REQUEST_HEADERS[1]!] as MessageHeader[]],
    ])('an event for %s', async (_name, isEvent, headers) => {
      const { d, calls } = dispatcher({ handler: handlerOf(isEvent) });
      expect(await d.process(record('[1]', headers))).toBe('done');
      expect(calls).toEqual([{ kind: 'event', data: [1] }]);
    });

    it('a request without a handler still goes to runRequest (the server replies "no matching handler")', async () => {
      const { d, calls } = dispatcher({ handler: null });
      expect(await d.process(record('1', REQUEST_HEADERS))).toBe('done');
      expect(calls).toEqual([expect.objectContaining({ kind: 'request', handler: null })]);
    });

    it('an event without a handler is logged with its pattern and place, and skipped', async () => {
      const { d, calls, logger } = dispatcher({ handler: null });
      expect(await d.process(record('1'))).toBe('skipped');
      expect(calls).toEqual([]);
      expect(logger.of('error').map((l) => l.message)).toEqual([
        'There is no matching event handler defined in the remote service. Event pattern: orders (orders[2]@7)',
      ]);
    });

    it("gives the whole parsed message for a tombstone, as Nest's KafkaRequestDeserializer", async () => {
      const { d, calls } = dispatcher();
      await d.process(record(null, [['h', Buffer.from('v')]]));
      expect(calls).toEqual([
        { kind: 'event', data: expect.objectContaining({ topic: 'orders', offset: 7, value: null, headers: { h: 'v' } }) },
      ]);
    });
  });

  describe('bad records', () => {
    it('skips a value above maxValueBytes without running the handler, naming its place and size', async () => {
      const { d, calls, logger } = dispatcher({ maxValueBytes: 3 });
      expect(d.process(record('abcd'))).toBe('skipped');
      expect(calls).toEqual([]);
      expect(logger.of('error').map((l) => l.message)).toEqual(['Skipped orders[2]@7: value of 4 bytes exceeds maxValueBytes (3)']);
    });

    it('skips an undecodable record with a ValueDeserializationError naming its place, and goes on', async () => {
      const parser = new RdKafkaParser({
        valueDeserializer: {
          deserialize: (data) => {
            if (data?.toString() === 'bad') throw new Error('not Avro');
            return data?.toString();
          },
        },
      });
      const { d, calls, logger } = dispatcher({ parser });
      expect(await d.process(record('bad'))).toBe('skipped');
      expect(await d.process(record('good', [], 8))).toBe('done');
      expect(calls).toEqual([{ kind: 'event', data: 'good' }]);
      expect(logger.of('error').map((l) => l.message)).toEqual([
        expect.stringMatching(/^Could not decode orders\[2\]@7 \(attempt 1, giving up\): ValueDeserializationError: .*not Avro/),
      ]);
    });

    it("passes invalid JSON on as a string and warns with the record's place", async () => {
      const { d, calls, logger } = dispatcher();
      expect(await d.process(record('{oops'))).toBe('done');
      expect(calls).toEqual([{ kind: 'event', data: '{oops' }]);
      expect(logger.of('warn').map((l) => l.message)).toEqual([
        expect.stringMatching(/^Invalid JSON \(.*\), passed on as a string at orders\[2\]@7$/),
      ]);
    });
  });

  describe('handler-error policy', () => {
    it("retry: runs the handler again and succeeds, logging each failed attempt with the record's place", async () => {
      const { d, calls, logger } = dispatcher({
        policy: fastRetry(),
        run: async (n) => {
          if (n < 3) throw new Error(`fail ${n}`);
        },
      });
      expect(await d.process(record('1'))).toBe('done');
      expect(calls).toHaveLength(3);
      expect(logger.of('error').map((l) => l.message)).toEqual([
        'Handler failed on orders[2]@7 (attempt 1, retrying): Error: fail 1',
        'Handler failed on orders[2]@7 (attempt 2, retrying): Error: fail 2',
      ]);
    });

    it.each([
      [{ mode: 'skip' } as HandlerErrorPolicy, 'skipped', 1],
      [{ mode: 'stop' } as HandlerErrorPolicy, 'stopped', 1],
      [fastRetry('skip'), 'skipped', 3],
      [fastRetry('stop'), 'stopped', 3],
    ])('%j: a handler that keeps failing ends %s after %i attempts', async (policy, outcome, attempts) => {
      const { d, calls, logger } = dispatcher({
        policy,
        run: async () => {
          throw new Error('boom');
        },
      });
      expect(await d.process(record('1'))).toBe(outcome);
      expect(calls).toHaveLength(attempts);
      expect(logger.of('error').at(-1)!.message).toBe(`Handler failed on orders[2]@7 (attempt ${attempts}, giving up): Error: boom`);
    });

    it('logs a failure that is not an Error as JSON', async () => {
      const { d, logger } = dispatcher({ run: () => Promise.reject({ code: 'E42' }) });
      expect(await d.process(record('1'))).toBe('skipped');
      expect(logger.of('error')[0]!.message).toBe('Handler failed on orders[2]@7 (attempt 1, giving up): {"code":"E42"}');
    });

    it('a closing server aborts a pending retry: the outcome is aborted (nothing committed)', async () => {
      const closing = new AbortController();
      const { d } = dispatcher({
        policy: { mode: 'retry', retries: 5, initialBackoffMs: 10_000 },
        signal: closing.signal,
        run: async () => {
          throw new Error('boom');
        },
      });
      const outcome = d.process(record('1'));
      setTimeout(() => closing.abort(), 5);
      expect(await outcome).toBe('aborted');
    });

    it('a request whose handler throws KafkaRetriableException before replying goes through the policy', async () => {
      const { d, calls } = dispatcher({
        handler: handlerOf(false),
        policy: fastRetry(),
        run: async (n) => {
          if (n === 1) throw new KafkaRetriableException('later');
        },
      });
      expect(await d.process(record('1', REQUEST_HEADERS))).toBe('done');
      expect(calls.map((c) => c.kind)).toEqual(['request', 'request']);
    });
  });

  describe('Observable results', () => {
    it("an event handler's Observable runs to completion before the record is done", async () => {
      let completed = false;
      const stream = new Observable<number>((sub) => {
        sub.next(1);
        setTimeout(() => {
          completed = true;
          sub.complete();
        }, 10);
      });
      const { d } = dispatcher({ run: async () => stream });
      expect(await d.process(record('1'))).toBe('done');
      expect(completed).toBe(true);
    });

    it('an Observable that errors is a failure, retried as a whole by the policy', async () => {
      const { d, calls, logger } = dispatcher({
        policy: fastRetry(),
        run: async (n) => (n < 2 ? throwError(() => new Error('stream broke')) : of(1)),
      });
      expect(await d.process(record('1'))).toBe('done');
      expect(calls).toHaveLength(2);
      expect(logger.of('error').map((l) => l.message)).toEqual([
        'Handler failed on orders[2]@7 (attempt 1, retrying): Error: stream broke',
      ]);
    });
  });

  describe('records that cannot be read or decoded go through the error policy', () => {
    const unreadable = () =>
      record('{"a":1}', [], 9, new KafkaError(ErrorCode._BAD_MSG, 'Could not read the record at orders[2]@9: header 0 has 2 names'));

    it.each<[HandlerErrorPolicy, HandlingOutcome]>([
      [{ mode: 'stop' }, 'stopped'],
      [{ mode: 'skip' }, 'skipped'],
      [{ mode: 'retry', retries: 3, initialBackoffMs: 10_000, then: 'stop' }, 'stopped'],
    ])('a record the client layer could not read ends as the policy %j ends, without retries', async (policy, outcome) => {
      const { calls, logger, process } = dispatcher({ policy });
      const t0 = Date.now();
      expect(await process(unreadable())).toBe(outcome);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(calls).toEqual([]);
      const lines = logger.of('error', 'ServerRdKafka').map((l) => l.message);
      expect(lines).toEqual([
        expect.stringMatching(
          /^Could not read orders\[2\]@9 \((stopping|skipping) it by the error policy, without retries.*KafkaException: .*orders\[2\]@9: header 0 has 2 names/,
        ),
      ]);
    });

    it('retries a failing deserializer as the policy says, then routes the record it decoded', async () => {
      let n = 0;
      const valueDeserializer = {
        deserialize: () => {
          if (++n < 3) throw new Error('registry unreachable');
          return 'decoded';
        },
      };
      const { calls, logger, process } = dispatcher({
        policy: { mode: 'retry', retries: 3, initialBackoffMs: 1 },
        parser: new RdKafkaParser({ valueDeserializer }),
      });
      expect(await process(record('{"a":1}', [], 9))).toBe('done');
      expect(n).toBe(3);
      expect(calls).toEqual([{ kind: 'event', data: 'decoded' }]);
      expect(
        logger
          .of('error')
          .map((l) => l.message)
          .slice(0, 2),
      ).toEqual([
        expect.stringMatching(
          /^Could not decode orders\[2\]@9 \(attempt 1, retrying\): ValueDeserializationError: KafkaError\{code=_VALUE_DESERIALIZATION,.*"registry unreachable \(orders\[2\]@9\)"\}$/,
        ),
        expect.stringMatching(/^Could not decode orders\[2\]@9 \(attempt 2, retrying\)/),
      ]);
    });

    it('stops at a record its deserializer never decodes under a stop policy (it used to be skipped)', async () => {
      const valueDeserializer = {
        deserialize: () => {
          throw new ValueDeserializationError('unknown magic byte', { topic: 'orders', partition: 2, offset: 9 });
        },
      };
      const { calls, logger, process } = dispatcher({ policy: { mode: 'stop' }, parser: new RdKafkaParser({ valueDeserializer }) });
      expect(await process(record('{"a":1}', [], 9))).toBe('stopped');
      expect(calls).toEqual([]);
      expect(logger.of('error').map((l) => l.message)).toEqual([
        expect.stringMatching(/^Could not decode orders\[2\]@9 \(attempt 1, giving up\): ValueDeserializationError: .*unknown magic byte/),
      ]);
    });

    it('turns an exception while dispatching into a record failure instead of throwing', async () => {
      const { calls, logger, process } = dispatcher({ contextFails: true });
      expect(await process(record('{"a":1}', [], 9))).toBe('skipped');
      expect(calls).toEqual([]);
      expect(logger.of('error').map((l) => l.message)).toEqual([
        expect.stringMatching(/^Could not dispatch orders\[2\]@9 \(skipping it .*\): Error: no context/),
      ]);
    });
  });

  describe('handler time limit (handlerTimeoutMs)', () => {
    const hung = (): Promise<never> => new Promise(() => undefined);
    const REQUEST: MessageHeader[] = [
      ['kafka_correlationId', Buffer.from('cid-1')],
      ['kafka_replyTopic', Buffer.from('jobs.reply')],
    ];
    const job = (headers: MessageHeader[] = []) =>
      new Message({ topic: 'jobs', partition: 0, offset: 5, value: Buffer.from('{"a":1}'), headers });

    it('skips a hung event handler after handlerTimeoutMs with skip, logging HandlerTimeoutError with the record', async () => {
      const { logger, process } = dispatcher({ run: hung, timeoutMs: 60 });
      const t0 = Date.now();
      expect(await process(job())).toBe('skipped');
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(logger.of('error')[0]!.message).toMatch(
        /Handler failed on jobs\[0\]@5 \(attempt 1, giving up\): HandlerTimeoutError: Handler for "pattern-of-jobs" did not finish within 60 ms/,
      );
    });

    it('stops the partition on expiry with stop', async () => {
      expect(await dispatcher({ run: hung, timeoutMs: 60, policy: { mode: 'stop' } }).process(job())).toBe('stopped');
    });

    it('retries an expired handler as the policy says, then gives up', async () => {
      const { calls, process } = dispatcher({
        run: hung,
        timeoutMs: 60,
        policy: { mode: 'retry', retries: 2, initialBackoffMs: 1, then: 'skip' },
      });
      expect(await process(job())).toBe('skipped');
      expect(calls).toHaveLength(3);
    });

    it('sends the caller of a request the policy gave up on an error reply naming the timeout', async () => {
      const { errorReplies, process } = dispatcher({ run: hung, timeoutMs: 60, handler: handlerOf(false) });
      expect(await process(job(REQUEST))).toBe('skipped');
      expect(errorReplies).toHaveLength(1);
      expect(errorReplies[0]!.to.correlationId).toBe('cid-1');
      expect(errorReplies[0]!.message).toMatch(/Request not handled \(skipped by the error policy\): HandlerTimeoutError/);
    });
  });
});
