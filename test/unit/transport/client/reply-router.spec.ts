import type { WritePacket } from '@nestjs/microservices';
import { ReplyRouter } from '../../../../lib/transport/client/reply-router.js';
import { RequestTimeoutError } from '../../../../lib/transport/errors/request-timeout.error.js';
import type { RdKafkaParsedMessage } from '../../../../lib/transport/serdes/rdkafka.parser.js';

function reply(headers: Record<string, unknown>, value: unknown): RdKafkaParsedMessage {
  return { topic: 'p.reply', partition: 0, offset: 1, key: null, value, headers, timestamp: 1, size: 1 };
}

describe('ReplyRouter', () => {
  it('matches replies by correlation id and ignores unknown or missing ids', () => {
    const router = new ReplyRouter(10_000);
    const a: WritePacket[] = [];
    const b: WritePacket[] = [];
    router.register('id-a', 'p', (pk) => a.push(pk));
    router.register('id-b', 'p', (pk) => b.push(pk));
    expect(router.route(reply({}, 'x'))).toBe(false);
    expect(router.route(reply({ kafka_correlationId: 'other' }, 'x'))).toBe(false);
    expect(router.route(reply({ kafka_correlationId: 'id-b', 'kafka_nest-is-disposed': '1' }, 2))).toBe(true);
    expect(router.route(reply({ kafka_correlationId: 'id-a' }, 1))).toBe(true);
    expect(router.route(reply({ kafka_correlationId: 'id-a', 'kafka_nest-is-disposed': '1' }, null))).toBe(true);
    expect(b).toEqual([{ response: 2, isDisposed: true }]);
    expect(a).toEqual([{ response: 1, isDisposed: false }, { isDisposed: true }]);
    expect(router.size).toBe(0);
    // Replies after the final one are late and ignored.
    expect(router.route(reply({ kafka_correlationId: 'id-a' }, 3))).toBe(false);
  });

  it('turns kafka_nest-err into a final error', () => {
    const router = new ReplyRouter(10_000);
    const got: WritePacket[] = [];
    router.register('id', 'p', (pk) => got.push(pk));
    router.route(reply({ kafka_correlationId: 'id', 'kafka_nest-err': { status: 'error', message: 'x' } }, null));
    expect(got).toEqual([{ err: { status: 'error', message: 'x' }, isDisposed: true }]);
    expect(router.size).toBe(0);
  });

  it('fails a request with RequestTimeoutError when no reply comes, and the teardown forgets it', async () => {
    const router = new ReplyRouter(30);
    const got: WritePacket[] = [];
    router.register('slow', 'orders.get', (pk) => got.push(pk));
    const teardown = router.register('gone', 'p', (pk) => got.push(pk));
    teardown();
    await new Promise((r) => setTimeout(r, 60));
    expect(got).toHaveLength(1);
    const err = got[0].err as RequestTimeoutError;
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err.name).toBe('RequestTimeoutError');
    expect([err.pattern, err.timeoutMs, err.correlationId]).toEqual(['orders.get', 30, 'slow']);
    expect(err.message).toBe('No reply to "orders.get" within 30 ms (correlation id slow)');
  });

  it("waits for the first reply only for what is left of the request's time (connecting took the rest)", async () => {
    const router = new ReplyRouter(10_000);
    const got: WritePacket[] = [];
    const t0 = Date.now();
    router.register('late-connect', 'orders.get', (pk) => got.push(pk), 20);
    await new Promise((r) => setTimeout(r, 60));
    expect(got).toHaveLength(1);
    const err = got[0].err as RequestTimeoutError;
    expect(err).toBeInstanceOf(RequestTimeoutError);
    // The error names the configured bound: the request as a whole waited that long.
    expect(err.timeoutMs).toBe(10_000);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('fails everything on failAll', () => {
    const router = new ReplyRouter(10_000);
    const got: WritePacket[] = [];
    router.register('1', 'p', (pk) => got.push(pk));
    router.register('2', 'p', (pk) => got.push(pk));
    router.failAll(new Error('Connection closed'));
    expect(got.map((g) => (g.err as Error).message)).toEqual(['Connection closed', 'Connection closed']);
  });
});
