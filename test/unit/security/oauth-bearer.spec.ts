import { jest } from '@jest/globals';
import { OAuthBearerRefresher, oauthRefresherFor, type OAuthBearerToken } from '../../../lib/client/oauth-bearer.js';
import { ConfigException, ErrorCode, KafkaException, type KafkaError } from '../../../lib/errors/index.js';

/** A sink recording what the refresher hands to node-rdkafka and to error_cb. */
function recordingSink(): { tokens: string[]; errors: KafkaError[]; setToken: (t: string) => void; onError: (e: KafkaError) => void } {
  const tokens: string[] = [];
  const errors: KafkaError[] = [];
  return { tokens, errors, setToken: (t) => void tokens.push(t), onError: (e) => void errors.push(e) };
}

describe('OAuthBearerRefresher (oauth_cb)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('sets the first token before connecting and a new one at 80 % of its lifetime, with the oauth config', async () => {
    const calls: (string | undefined)[] = [];
    let n = 0;
    const provider = (config: string | undefined): OAuthBearerToken => {
      calls.push(config);
      return { token: `t${++n}`, lifetimeMs: Date.now() + 10_000 };
    };
    const sink = recordingSink();
    const refresher = new OAuthBearerRefresher(provider, 'scope=x', sink);
    await refresher.start();
    expect(sink.tokens).toEqual(['t1']);
    await jest.advanceTimersByTimeAsync(7_900);
    expect(sink.tokens).toEqual(['t1']);
    await jest.advanceTimersByTimeAsync(200);
    expect(sink.tokens).toEqual(['t1', 't2']);
    await jest.advanceTimersByTimeAsync(8_000);
    expect(sink.tokens).toEqual(['t1', 't2', 't3']);
    expect(calls).toEqual(['scope=x', 'scope=x', 'scope=x']);
    refresher.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sink.tokens).toHaveLength(3);
  });

  it("takes an async provider and confluent_kafka's expiry in seconds", async () => {
    const sink = recordingSink();
    const refresher = new OAuthBearerRefresher(async () => ({ token: 'a', expiry: (Date.now() + 100_000) / 1000 }), undefined, sink);
    await refresher.start();
    await jest.advanceTimersByTimeAsync(80_001);
    expect(sink.tokens).toEqual(['a', 'a']);
    refresher.stop();
  });

  it('a failing refresh goes to error_cb with _AUTHENTICATION and is retried 10 s later', async () => {
    let fail = false;
    const sink = recordingSink();
    const refresher = new OAuthBearerRefresher(
      () => {
        if (fail) throw new Error('idp down');
        return { token: 'ok', lifetimeMs: Date.now() + 5_000 };
      },
      undefined,
      sink,
    );
    await refresher.start();
    fail = true;
    await jest.advanceTimersByTimeAsync(4_000);
    expect(sink.errors.map((e) => [e.code, e.reason])).toEqual([[ErrorCode._AUTHENTICATION, 'oauth_cb failed: idp down']]);
    fail = false;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sink.tokens).toEqual(['ok', 'ok']);
    refresher.stop();
  });

  it('refuses a first token it cannot use, with a typed error and without setting it', async () => {
    const cases: [OAuthBearerToken, number][] = [
      [{ token: 'x', lifetimeMs: Date.now() - 1 }, ErrorCode._INVALID_ARG],
      [{ token: 'x' }, ErrorCode._INVALID_ARG],
      [{ token: '', lifetimeMs: Date.now() + 1000 }, ErrorCode._INVALID_ARG],
      [{ token: 'x', lifetimeMs: Date.now() + 1000, extensions: { logicalCluster: 'lkc-1' } }, ErrorCode._NOT_IMPLEMENTED],
    ];
    for (const [token, code] of cases) {
      const sink = recordingSink();
      const error = await new OAuthBearerRefresher(() => token, undefined, sink).start().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KafkaException);
      expect((error as KafkaException).code).toBe(code);
      expect(sink.tokens).toEqual([]);
    }
    const thrown = await new OAuthBearerRefresher(() => Promise.reject(new Error('no idp')), undefined, recordingSink()).start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toMatchObject({ code: ErrorCode._AUTHENTICATION, message: expect.stringContaining('no idp') });
  });

  it("leaves librdkafka's OIDC method alone and refuses oauth_cb beside it", () => {
    const provider = () => ({ token: 't', lifetimeMs: Date.now() + 1000 });
    expect(oauthRefresherFor(undefined, { 'sasl.oauthbearer.method': 'oidc' }, recordingSink())).toBeUndefined();
    expect(() => oauthRefresherFor(provider, { 'sasl.oauthbearer.method': 'oidc' }, recordingSink())).toThrow(ConfigException);
    expect(oauthRefresherFor(provider, { 'sasl.oauthbearer.config': 'a=b' }, recordingSink())).toBeInstanceOf(OAuthBearerRefresher);
  });
});
