import type { MessageHandler } from '@nestjs/microservices';
import { Consumer } from '../../../../lib/client/consumer.js';
import type { RebalanceCallbacks } from '../../../../lib/client/consumer-rebalance.js';
import type { Message } from '../../../../lib/client/message.js';
import { Producer } from '../../../../lib/client/producer.js';
import { FakeKafka, type FakeNativeConsumer } from '../../../../lib/testing/index.js';
import { RdKafkaContext } from '../../../../lib/transport/context/rdkafka.context.js';
import type { RdKafkaStatus } from '../../../../lib/transport/rdkafka-status.enum.js';
import { RdKafkaParser } from '../../../../lib/transport/serdes/rdkafka.parser.js';
import type { HandlerErrorPolicy } from '../../../../lib/transport/server/handler-error.policy.js';
import { HandlerWatchdog } from '../../../../lib/transport/server/handler-watchdog.js';
import { RecordDispatcher } from '../../../../lib/transport/server/record-dispatcher.js';
import { type ConsumeLoopOptions, type LoopConsumer, ServerConsumeLoop } from '../../../../lib/transport/server/server-consume-loop.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';

/** What a test's event handler gets: the raw record and its context. */
export type RecordHandler = (record: Message, ctx: RdKafkaContext) => Promise<unknown> | unknown;

export interface LoopHarnessOptions extends Partial<Omit<ConsumeLoopOptions, 'logger' | 'onStatus'>> {
  topic?: string;
  partitions?: number;
  policy?: HandlerErrorPolicy;
  /** Extra consumer properties (e.g. `enable.partition.eof`). */
  consumer?: Record<string, string | number | boolean>;
  /** The handler time limit (`handlerTimeoutMs`); 0 = none. */
  handlerTimeoutMs?: number;
}

/** A real ServerConsumeLoop and RecordDispatcher on a real Consumer over a FakeKafka; every record is an event. */
export interface LoopHarness {
  readonly kafka: FakeKafka;
  readonly consumer: Consumer;
  readonly producer: Producer;
  /** The fake under the consumer: what the loop committed, paused, sought. */
  readonly native: FakeNativeConsumer;
  readonly loop: ServerConsumeLoop;
  readonly logger: CaptureLogger;
  readonly statuses: RdKafkaStatus[];
  /** The rebalance callbacks the loop subscribed with (to report what the consumer cannot yet, e.g. a loss). */
  readonly callbacks: RebalanceCallbacks<unknown>;
  /** The `max` of every consumeBatch() call the loop made, in order. */
  readonly asked: number[];
  /** Offsets of `topic` partition 0 the handler was called with, in call order. */
  readonly handled: number[];
  readonly topic: string;
  /** Writes records with these values to the topic (partition 0 unless given). */
  append(values: readonly string[], partition?: number, keyed?: boolean): number[];
  /** The group's committed offset of the partition, or undefined. */
  committed(partition?: number): number | undefined;
}

export const GROUP = 'loop-group';

/** Starts a loop whose handler is `handle`; stop it with `harness.loop.stop()` (and `consumer.close()`). */
export async function startLoop(handle: RecordHandler, o: LoopHarnessOptions = {}): Promise<LoopHarness> {
  const topic = o.topic ?? 't';
  const kafka = new FakeKafka();
  kafka.createTopic(topic, o.partitions ?? 1);
  const logger = new CaptureLogger();
  let loop!: ServerConsumeLoop;
  // As the server wires it: the loop learns the results of its asynchronous commits through on_commit.
  const consumer = new Consumer(
    {
      'group.id': GROUP,
      'auto.offset.reset': 'earliest',
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      ...o.consumer,
      on_commit: (error, partitions) => loop?.onCommitted(error, partitions),
    },
    kafka.binding,
  );
  const producer = new Producer({}, {}, kafka.binding);
  await Promise.all([consumer.connect(), producer.connect()]);
  const handled: number[] = [];
  const handler: MessageHandler = Object.assign(async (data: unknown) => data, { isEventHandler: true });
  const statuses: RdKafkaStatus[] = [];
  const dispatcher = new RecordDispatcher(
    {
      getHandler: () => handler,
      runEvent: async (_h, _data, ctx) => {
        if (ctx.getPartition() === 0) handled.push(ctx.getOffset());
        return handle(ctx.getRawMessage(), ctx);
      },
      runRequest: () => Promise.reject(new Error('no requests in the loop harness')),
      replyError: () => Promise.reject(new Error('no requests in the loop harness')),
      patternOf: (t) => t,
      createContext: (parsed, raw) => new RdKafkaContext([parsed, raw, consumer, producer, loop.controlsFor(raw)]),
    },
    {
      parser: new RdKafkaParser(),
      logger,
      policy: o.policy ?? { mode: 'skip' },
      maxValueBytes: Infinity,
      signal: new AbortController().signal,
      watchdog: new HandlerWatchdog({ timeoutMs: o.handlerTimeoutMs ?? 0, warnAfterMs: 0, logger }),
    },
  );
  // The real consumer, with the sizes the loop asks for recorded.
  const asked: number[] = [];
  const callbacks: RebalanceCallbacks<unknown> = {};
  const looped: LoopConsumer = {
    consumeBatch: (max, waitMs) => {
      asked.push(max);
      return consumer.consumeBatch(max, waitMs);
    },
    commit: consumer.commit.bind(consumer),
    pause: consumer.pause.bind(consumer),
    resume: consumer.resume.bind(consumer),
    seek: consumer.seek.bind(consumer),
    assignment: consumer.assignment.bind(consumer),
    subscribe: (topics, cbs) => {
      Object.assign(callbacks, cbs);
      consumer.subscribe(topics, cbs);
    },
  };
  loop = new ServerConsumeLoop(looped, dispatcher, {
    concurrency: o.concurrency ?? 1,
    byKey: o.byKey ?? true,
    batchSize: o.batchSize ?? 50,
    maxBuffered: o.maxBuffered ?? 500,
    manualCommit: o.manualCommit ?? false,
    drainTimeoutMs: o.drainTimeoutMs ?? 1000,
    commitIntervalMs: o.commitIntervalMs ?? 5,
    groupId: 'harness',
    logger,
    onStatus: (s) => statuses.push(s),
  });
  await loop.start([topic]);
  const native = kafka.consumers[0]!;
  return {
    kafka,
    consumer,
    producer,
    native,
    loop,
    logger,
    statuses,
    callbacks,
    asked,
    handled,
    topic,
    append: (values, partition = 0, keyed = false) =>
      kafka.append(
        topic,
        values.map((v, i) => ({ value: v, key: keyed ? `k${i}` : null })),
        partition,
      ),
    committed: (partition = 0) => kafka.committed(GROUP, topic, partition),
  };
}

/** Stops the loop and closes the consumer and producer. */
export async function stopLoop(h: LoopHarness): Promise<void> {
  await h.loop.stop();
  await h.consumer.close();
  await h.producer.close();
}
