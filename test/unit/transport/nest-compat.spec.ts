import { BaseRpcContext, type WritePacket } from '@nestjs/microservices';
import { firstValueFrom, type Observable, Subject, throwError, type Subscription } from 'rxjs';
import { ServerRdKafka, UnsupportedNestVersionError } from '../../../lib/index.js';
import {
  assertNestServerSupported,
  handleRequest,
  installedNestVersion,
  type ProcessingHooks,
  runWithProcessingHooks,
} from '../../../lib/transport/server/nest-compat.js';

class TestContext extends BaseRpcContext<[string]> {}

/** Hooks that record their calls, like a tracing integration would. */
function recordingHooks(): ProcessingHooks & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    start: (ctx, done) => {
      calls.push(`start:${String(ctx.getArgByIndex(0))}`);
      return done();
    },
    end: (ctx) => {
      calls.push(`end:${String(ctx.getArgByIndex(0))}`);
    },
  };
}

/** Nest's `Server.send`, reduced to what matters here: every value, then the disposal, in order. */
function sendLikeNest(stream$: Observable<unknown>, respond: (p: WritePacket) => Promise<unknown> | void): Subscription {
  return stream$.subscribe({
    next: (response) => void respond({ response }),
    error: (err: unknown) => void respond({ err, isDisposed: true }),
    complete: () => void respond({ isDisposed: true }),
  });
}

describe('nest-compat: what ServerRdKafka needs from Nest 11 and 12', () => {
  it('handleRequest replies every value and runs the end hook once, after the stream settles, without Server.handleRequest', async () => {
    const hooks = recordingHooks();
    const replies: WritePacket[] = [];
    const ctx = new TestContext(['req-1']);
    const response$ = new Subject<number>();
    await handleRequest(
      { hooks, send: sendLikeNest },
      ctx,
      async () => response$,
      async (p) => {
        replies.push(p);
      },
    );
    response$.next(1);
    expect(hooks.calls).toEqual(['start:req-1']);
    response$.next(2);
    response$.complete();
    expect(replies).toEqual([{ response: 1 }, { response: 2 }, { isDisposed: true }]);
    expect(hooks.calls).toEqual(['start:req-1', 'end:req-1']);
  });

  it('handleRequest passes a rejection of produce on (the retry path) and still ends the span once', async () => {
    const hooks = recordingHooks();
    const ctx = new TestContext(['req-2']);
    const failure = new Error('retriable');
    const started = handleRequest(
      { hooks, send: sendLikeNest },
      ctx,
      () => Promise.reject(failure),
      async () => undefined,
    );
    await expect(started).rejects.toBe(failure);
    expect(hooks.calls).toEqual(['start:req-2', 'end:req-2']);
  });

  it('runWithProcessingHooks calls the end hook once even when fn ends it and then rejects', async () => {
    const hooks = recordingHooks();
    const ctx = new TestContext(['evt']);
    const started = runWithProcessingHooks(hooks, ctx, async (runEndHook) => {
      runEndHook();
      throw new Error('boom');
    });
    await expect(started).rejects.toThrow('boom');
    expect(hooks.calls).toEqual(['start:evt', 'end:evt']);
  });

  it('a request stream that errors is replied as an error and ends the span', async () => {
    const hooks = recordingHooks();
    const replies: WritePacket[] = [];
    await handleRequest(
      { hooks, send: sendLikeNest },
      new TestContext(['req-3']),
      async () => throwError(() => 'bad'),
      async (p) => {
        replies.push(p);
      },
    );
    expect(replies).toEqual([{ err: 'bad', isDisposed: true }]);
    expect(hooks.calls).toEqual(['start:req-3', 'end:req-3']);
  });

  it('assertNestServerSupported names the installed version and every missing Server member', () => {
    const nest10Like = { addHandler() {}, getHandlerByPattern() {}, normalizePattern() {}, transformToObservable() {} };
    const check = (): void => assertNestServerSupported(nest10Like, () => '10.4.0');
    expect(check).toThrow(UnsupportedNestVersionError);
    expect(check).toThrow(
      'nest-rdkafka supports @nestjs/microservices 11 and 12; the installed 10.4.0 has no send, onProcessingStartHook on Server',
    );
    try {
      check();
    } catch (err) {
      expect(err).toMatchObject({ name: 'UnsupportedNestVersionError', nestVersion: '10.4.0', missing: ['send', 'onProcessingStartHook'] });
    }
  });

  it('listen() on a Server without what the transport needs fails at start with UnsupportedNestVersionError, before connecting', async () => {
    // Port 1 on loopback: a connection attempt would fail differently (and slowly), so the error proves none was made.
    const server = new ServerRdKafka({ client: { 'bootstrap.servers': '127.0.0.1:1' } });
    Object.defineProperty(server, 'send', { value: undefined });
    const err = await new Promise<unknown>((resolve) => void server.listen(resolve));
    expect(err).toBeInstanceOf(UnsupportedNestVersionError);
    expect((err as UnsupportedNestVersionError).missing).toEqual(['send']);
    expect(await firstValueFrom(server.status)).toBe('crashed');
  });

  it('the installed Nest (12 in this repository) passes the check', () => {
    expect(() => assertNestServerSupported(new ServerRdKafka({ client: {} }))).not.toThrow();
    expect(installedNestVersion()).toMatch(/^12\./);
  });
});
