import { Message } from '../../../../lib/client/message.js';
import { HandlerTimeoutError } from '../../../../lib/transport/errors/index.js';
import { HandlerWatchdog } from '../../../../lib/transport/server/handler-watchdog.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';

const record = new Message({ topic: 'orders', partition: 3, offset: 17 });
const never = (): Promise<string> => new Promise(() => undefined);

describe('HandlerWatchdog', () => {
  it('fails a run past timeoutMs with a HandlerTimeoutError naming pattern and record, never early', async () => {
    const dog = new HandlerWatchdog({ timeoutMs: 100, warnAfterMs: 0, logger: new CaptureLogger() });
    const t0 = Date.now();
    const err = await dog.watch(never(), record, 'orders').catch((e: unknown) => e);
    const ms = Date.now() - t0;
    expect(err).toBeInstanceOf(HandlerTimeoutError);
    expect(err).toMatchObject({
      name: 'HandlerTimeoutError',
      pattern: 'orders',
      timeoutMs: 100,
      topic: 'orders',
      partition: 3,
      offset: 17,
    });
    expect((err as Error).message).toBe('Handler for "orders" did not finish within 100 ms on orders[3]@17');
    expect(ms).toBeGreaterThanOrEqual(100);
    expect(ms).toBeLessThan(100 + 2 * dog.tickMs + 50);
  });

  it('warns once about a slow run, with pattern, topic, partition and offset', async () => {
    const logger = new CaptureLogger();
    const dog = new HandlerWatchdog({ timeoutMs: 0, warnAfterMs: 50, logger });
    const run = dog.watch(new Promise<string>((r) => setTimeout(() => r('done'), 200)), record, '/ord.*/');
    await expect(run).resolves.toBe('done');
    const warnings = logger.of('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(
      /Handler for "\/ord\.\*\/" on orders\[3\]@17 has been running for \d+ ms \(slowHandlerWarnMs 50\)/,
    );
  });

  it('ignores the late result of an expired run, and says so', async () => {
    const logger = new CaptureLogger();
    const dog = new HandlerWatchdog({ timeoutMs: 50, warnAfterMs: 0, logger });
    let finish!: (v: string) => void;
    const run = dog.watch(
      new Promise<string>((r) => {
        finish = r;
      }),
      record,
      'orders',
    );
    await expect(run).rejects.toBeInstanceOf(HandlerTimeoutError);
    finish('late');
    await new Promise((r) => setImmediate(r));
    expect(logger.of('warn')[0]!.message).toMatch(
      /finished after its handlerTimeoutMs \(50 ms\) had expired; this late result was ignored/,
    );
  });

  it('passes results and errors of runs within their limits through', async () => {
    const dog = new HandlerWatchdog({ timeoutMs: 1000, warnAfterMs: 500, logger: new CaptureLogger() });
    await expect(dog.watch(Promise.resolve(42), record, 'orders')).resolves.toBe(42);
    await expect(dog.watch(Promise.reject(new Error('boom')), record, 'orders')).rejects.toThrow('boom');
    dog.stop();
  });

  it('watches nothing (the same promise) when both limits are 0', () => {
    const dog = new HandlerWatchdog({ timeoutMs: 0, warnAfterMs: 0, logger: new CaptureLogger() });
    const p = Promise.resolve(1);
    expect(dog.idle).toBe(true);
    expect(dog.watch(p, record, 'orders')).toBe(p);
  });
});
