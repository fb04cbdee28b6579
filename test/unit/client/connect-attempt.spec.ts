import { EventEmitter } from 'node:events';
import { ConnectAttempt, connectTargetOf, type ConnectableNative } from '../../../lib/client/connect-attempt.js';
import { ErrorCode, KafkaException } from '../../../lib/errors/index.js';

/** node-rdkafka's client as an attempt sees it: the handle exists at once, connect() answers when told. */
class FakeNative extends EventEmitter implements ConnectableNative {
  served = 0;
  handle = true;
  private answer: ((err: unknown) => void) | undefined;
  connect(_o: { timeout: number }, cb: (err: unknown) => void): void {
    this.answer = cb;
  }
  isConnected(): boolean {
    return this.handle;
  }
  finish(err: unknown = null): void {
    this.answer?.(err);
  }
  /** node-rdkafka's global error: code -1, origin and text only. */
  error(text: string): void {
    this.emit('event.error', { code: -1, origin: 'local', message: text });
  }
  fail(message: string): void {
    this.emit('event.log', { severity: 3, fac: 'FAIL', message: `[thrd:x/bootstrap]: ${message}` });
  }
}

const target = connectTargetOf({
  'bootstrap.servers': '127.0.0.1:9',
  'sasl.username': 'alice',
  'sasl.mechanisms': 'SCRAM-SHA-256',
  'sasl.password': 'secret',
});
const rejection = (p: Promise<void>) =>
  p.then(
    () => {
      throw new Error('resolved');
    },
    (e: unknown) => e as KafkaException,
  );

describe('ConnectAttempt', () => {
  it('rejects at the first authentication failure, naming user, mechanism, brokers and the logged cause, never the password', async () => {
    const native = new FakeNative();
    const { done } = new ConnectAttempt(native, target, () => native.served++).run(30_000);
    native.fail('127.0.0.1:9/bootstrap: SASL authentication error: invalid credentials');
    native.error('authentication failure');
    const e = await rejection(done);
    expect(e).toBeInstanceOf(KafkaException);
    expect(e.code).toBe(ErrorCode._AUTHENTICATION);
    expect(e.message).toContain(
      'connect(): authentication failed for user "alice" (SCRAM-SHA-256) at 127.0.0.1:9: 127.0.0.1:9/bootstrap: SASL authentication error: invalid credentials',
    );
    expect(e.message).not.toContain('secret');
    native.finish(new Error('Local: Broker transport failure'));
  });

  it('on a failed connect, names the brokers, the most specific transport code seen and the last logged failure', async () => {
    const native = new FakeNative();
    const { done, nativeSettled } = new ConnectAttempt(native, target, () => native.served++).run(3000);
    native.error('broker transport failure');
    native.error('all broker connections are down');
    native.fail('127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused');
    native.finish({ code: ErrorCode._TRANSPORT, message: 'broker transport failure' });
    const e = await rejection(done);
    await nativeSettled;
    expect(e.code).toBe(ErrorCode._ALL_BROKERS_DOWN);
    expect(e.message).toContain(
      'connect(): no broker of 127.0.0.1:9 answered within 3000 ms (Local: All broker connections are down): 127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused',
    );
  });

  it.each([
    [
      'an untrusted broker certificate',
      'ssl://127.0.0.1:9/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified',
    ],
    [
      'the broker refusing a missing client certificate',
      'ssl://127.0.0.1:9/bootstrap: Receive failed: error:0A000412:SSL routines::sslv3 alert bad certificate: SSL alert number 42',
    ],
    [
      'the broker not trusting the client certificate',
      'ssl://127.0.0.1:9/bootstrap: Receive failed: error:0A000418:SSL routines::tlsv1 alert unknown ca: SSL alert number 48',
    ],
  ])('rejects at once with _SSL on %s, naming the brokers and the logged cause', async (_what, line) => {
    const native = new FakeNative();
    const { done } = new ConnectAttempt(native, target, () => native.served++).run(30_000);
    native.fail(line);
    const e = await rejection(done);
    expect(e.code).toBe(ErrorCode._SSL);
    expect(e.message).toContain(`connect(): TLS failed at 127.0.0.1:9: ${line}`);
    native.finish(new Error('Local: Broker transport failure'));
  });

  it('keeps waiting on a handshake cut by a disconnect (a broker restarting, or a PLAINTEXT listener)', async () => {
    const native = new FakeNative();
    const { done } = new ConnectAttempt(native, target, () => native.served++).run(3000);
    native.fail('ssl://127.0.0.1:9/bootstrap: SSL handshake failed: Disconnected: connecting to a PLAINTEXT broker listener?');
    native.fail('ssl://127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused');
    native.finish();
    await expect(done).resolves.toBeUndefined();
  });

  it('serves the native queue while connecting, only once the handle exists, and stops when connect answers', async () => {
    const native = new FakeNative();
    native.handle = false;
    const { done } = new ConnectAttempt(native, target, () => native.served++).run(3000);
    await new Promise((r) => setTimeout(r, 120));
    expect(native.served).toBe(0);
    native.handle = true;
    await new Promise((r) => setTimeout(r, 120));
    expect(native.served).toBeGreaterThan(0);
    native.finish();
    await done;
    const served = native.served;
    await new Promise((r) => setTimeout(r, 120));
    expect(native.served).toBe(served);
    expect(native.listenerCount('event.error')).toBe(0);
  });

  it('a serve that throws (the handle went away meanwhile) does not end the attempt', async () => {
    const native = new FakeNative();
    const { done } = new ConnectAttempt(native, target, () => {
      throw new Error('KafkaConsumer is not connected');
    }).run(3000);
    await new Promise((r) => setTimeout(r, 120));
    native.finish();
    await expect(done).resolves.toBeUndefined();
  });
});
