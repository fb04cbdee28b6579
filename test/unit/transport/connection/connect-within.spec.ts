import { ErrorCode, KafkaError, KafkaException } from '../../../../lib/errors/index.js';
import {
  BrokerErrorWatch,
  type ConnectBound,
  connectWithin,
  explainDeliveryFailure,
  settleBy,
} from '../../../../lib/transport/connection/index.js';
import { nestLoggerCallbacks } from '../../../../lib/transport/logging/nest-logger.bridge.js';

const quiet = { log: (): void => undefined, warn: (): void => undefined, error: (): void => undefined };
const REFUSED = '[FAIL] [thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused';

function bound(watch: BrokerErrorWatch, timeoutMs = 50): ConnectBound {
  const started = Date.now();
  return { servers: '127.0.0.1:1', timeoutMs, started, deadline: started + timeoutMs, watch };
}

/** A client whose connect() logs what librdkafka logs for a refused connection, then fails as librdkafka does. */
function refusedClient(watch: BrokerErrorWatch, seen: number[] = []) {
  const logs = watch.wrap(nestLoggerCallbacks(quiet, 'test'));
  return {
    connect: async (timeoutMs: number): Promise<void> => {
      seen.push(timeoutMs);
      logs.logger.error(REFUSED);
      throw new KafkaException(ErrorCode._TRANSPORT, 'broker transport failure');
    },
  };
}

describe('connectWithin', () => {
  it('passes the time left to librdkafka and says which servers failed, within what bound, and why', async () => {
    const watch = new BrokerErrorWatch();
    const seen: number[] = [];
    const err = await connectWithin(refusedClient(watch, seen), bound(watch, 2000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaException);
    expect((err as KafkaException).code).toBe(ErrorCode._TRANSPORT);
    expect((err as KafkaException).error.str()).toBe(
      'could not connect to 127.0.0.1:1 within 2000 ms: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused',
    );
    expect(seen[0]).toBeGreaterThan(1900);
    expect(seen[0]).toBeLessThanOrEqual(2000);
  });

  it('fails with _TIMED_OUT without trying when the deadline has passed', async () => {
    const watch = new BrokerErrorWatch();
    const seen: number[] = [];
    const b = { ...bound(watch), deadline: Date.now() - 1 };
    await expect(connectWithin(refusedClient(watch, seen), b)).rejects.toMatchObject({ code: ErrorCode._TIMED_OUT });
    expect(seen).toEqual([]);
  });

  it("passes a closed client's _STATE error on as it is", async () => {
    const closed = new KafkaException(ErrorCode._STATE, 'connect: the client is closed');
    const watch = new BrokerErrorWatch();
    await expect(connectWithin({ connect: () => Promise.reject(closed) }, bound(watch))).rejects.toBe(closed);
  });

  it("falls back to librdkafka's own reason when nothing was reported during the attempt", async () => {
    const watch = new BrokerErrorWatch();
    watch.note('an old problem');
    const b = { ...bound(watch), started: Date.now() + 1000 };
    const err = await connectWithin(
      { connect: () => Promise.reject(new KafkaException(ErrorCode._TRANSPORT, 'broker transport failure')) },
      b,
    ).catch((e: unknown) => e);
    expect((err as KafkaException).error.str()).toBe('could not connect to 127.0.0.1:1 within 50 ms: broker transport failure');
  });
});

describe('BrokerErrorWatch', () => {
  it('remembers error_cb errors and error log lines (secrets masked), passing them on', () => {
    const watch = new BrokerErrorWatch();
    const got: string[] = [];
    const logs = watch.wrap({ ...nestLoggerCallbacks(quiet, 'test'), error_cb: (e: KafkaError) => void got.push(e.toString()) });
    logs.logger.warn('a warning is not a broker problem');
    expect(watch.lastSince(0)).toBeNull();
    logs.error_cb(new KafkaError(ErrorCode._ALL_BROKERS_DOWN, 'all broker connections are down'));
    expect(watch.lastSince(0)).toContain('all broker connections are down');
    expect(got).toHaveLength(1);
    expect(watch.lastSince(Date.now() + 1)).toBeNull();
  });

  it('prefers the log line that names the cause over the summary error_cb reports after it', () => {
    const watch = new BrokerErrorWatch();
    const logs = watch.wrap({ ...nestLoggerCallbacks(quiet, 'test'), error_cb: (_e: KafkaError) => undefined });
    logs.logger.error('[FAIL] [thrd:x]: Connect to ipv4#127.0.0.1:1 failed: Connection refused; sasl.password=hunter2 rejected');
    logs.error_cb(new KafkaError(ErrorCode._ALL_BROKERS_DOWN, 'all broker connections are down'));
    expect(watch.lastSince(0)).toBe('Connect to ipv4#127.0.0.1:1 failed: Connection refused; sasl.password=[redacted] rejected');
  });
});

describe('explainDeliveryFailure', () => {
  it('gives a message timeout the last broker problem, and leaves other errors alone', () => {
    const watch = new BrokerErrorWatch();
    const since = Date.now();
    watch.note(REFUSED);
    const timedOut = new KafkaException(ErrorCode._MSG_TIMED_OUT, 'Local: Message timed out');
    const e = explainDeliveryFailure(timedOut, 'event to orders', since, watch) as KafkaException;
    expect(e.code).toBe(ErrorCode._MSG_TIMED_OUT);
    expect(e.error.str()).toMatch(
      /^event to orders not delivered within \d+ ms \(message\.timeout\.ms\): 127\.0\.0\.1:1\/bootstrap: Connect to .* Connection refused$/,
    );
    expect(e.cause).toBe(timedOut);
    const other = new KafkaException(ErrorCode.MSG_SIZE_TOO_LARGE, 'too large');
    expect(explainDeliveryFailure(other, 'event to orders', since, watch)).toBe(other);
  });
});

describe('settleBy', () => {
  it('rejects with the timeout error when the promise is late, and leaves its later rejection handled', async () => {
    let fail: (e: Error) => void = () => undefined;
    const slow = new Promise<never>((_, reject) => {
      fail = reject;
    });
    await expect(settleBy(slow, 10, () => new Error('late'))).rejects.toThrow('late');
    fail(new Error('afterwards'));
    await expect(settleBy(Promise.resolve(7), 1000, () => new Error('late'))).resolves.toBe(7);
  });
});
