import type { MessageHandler } from '@nestjs/microservices';
import { Message, type MessageHeader } from '../../../lib/client/message.js';
import type { HandlerErrorPolicy } from '../../../lib/transport/server/handler-error.policy.js';
import { HandlerWatchdog } from '../../../lib/transport/server/handler-watchdog.js';
import { type DispatchTarget, RecordDispatcher } from '../../../lib/transport/server/record-dispatcher.js';
import type { ReplyAddress } from '../../../lib/transport/server/reply-address.js';
import { RdKafkaParser } from '../../../lib/transport/serdes/rdkafka.parser.js';
import { CaptureLogger } from '../../integration/helpers/capture-logger.js';

/** A server stand-in: handlers that never finish, counted runs, and the error replies it was asked to send. */
class HungTarget implements DispatchTarget<string> {
  runs = 0;
  readonly errorReplies: { to: ReplyAddress; message: string }[] = [];
  private readonly handler: MessageHandler = Object.assign(() => new Promise<never>(() => undefined), { isEventHandler: false });

  getHandler(): MessageHandler { return this.handler; }
  runEvent(): Promise<unknown> { this.runs++; return new Promise(() => undefined); }
  runRequest(): Promise<void> { this.runs++; return new Promise(() => undefined); }
  async replyError(to: ReplyAddress, message: string): Promise<void> { to.ended = true; this.errorReplies.push({ to, message }); }
  patternOf(topic: string): string { return `pattern-of-${topic}`; }
  createContext(): string { return 'ctx'; }
}

function dispatcher(target: HungTarget, policy: HandlerErrorPolicy, logger = new CaptureLogger()): RecordDispatcher<string> {
  return new RecordDispatcher(target, {
    parser: new RdKafkaParser(), logger, policy, maxValueBytes: Infinity, signal: new AbortController().signal,
    watchdog: new HandlerWatchdog({ timeoutMs: 60, warnAfterMs: 0, logger }),
  });
}

const event = new Message({ topic: 'jobs', partition: 0, offset: 5, value: Buffer.from('{"a":1}') });
const requestHeaders: MessageHeader[] = [['kafka_correlationId', Buffer.from('cid-1')], ['kafka_replyTopic', Buffer.from('jobs.reply')]];
const request = new Message({ topic: 'jobs', partition: 0, offset: 6, value: Buffer.from('{"a":1}'), headers: requestHeaders });

describe('RecordDispatcher handler time limit', () => {
  it('skips a hung event handler after handlerTimeoutMs with skip, logging HandlerTimeoutError with the record', async () => {
    const logger = new CaptureLogger();
    const t0 = Date.now();
    await expect(dispatcher(new HungTarget(), { mode: 'skip' }, logger).process(event)).resolves.toBe('skipped');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(logger.of('error')[0]!.message).toMatch(/Handler failed on jobs\[0\]@5 \(attempt 1, giving up\): HandlerTimeoutError: Handler for "pattern-of-jobs" did not finish within 60 ms/);
  });

  it('stops the partition on expiry with stop', async () => {
    await expect(dispatcher(new HungTarget(), { mode: 'stop' }).process(event)).resolves.toBe('stopped');
  });

  it('retries an expired handler as the policy says, then gives up', async () => {
    const target = new HungTarget();
    await expect(dispatcher(target, { mode: 'retry', retries: 2, initialBackoffMs: 1, then: 'skip' }).process(event)).resolves.toBe('skipped');
    expect(target.runs).toBe(3);
  });

  it('sends the caller of a request the policy gave up on an error reply naming the timeout', async () => {
    const target = new HungTarget();
    await expect(dispatcher(target, { mode: 'skip' }).process(request)).resolves.toBe('skipped');
    expect(target.errorReplies).toHaveLength(1);
    expect(target.errorReplies[0]!.to.correlationId).toBe('cid-1');
    expect(target.errorReplies[0]!.message).toMatch(/Request not handled \(skipped by the error policy\): HandlerTimeoutError/);
  });
});
