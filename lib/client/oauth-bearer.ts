import { ConfigException, ErrorCode, KafkaError, KafkaException } from '../errors/index.js';

/**
 * What an `oauth_cb` returns: the token and when it expires. Give `lifetimeMs` (librdkafka's `md_lifetime_ms`:
 * the expiry in milliseconds since the epoch) or `expiry` (confluent_kafka's: seconds since the epoch).
 * @publicApi
 */
export interface OAuthBearerToken {
  /** The token value the broker validates (a JWS for most providers). */
  readonly token: string;
  /** Expiry, ms since the epoch. */
  readonly lifetimeMs?: number;
  /** Expiry, seconds since the epoch (confluent_kafka's tuple element). */
  readonly expiry?: number;
  /** The principal, for information only (the broker takes it from the token). */
  readonly principal?: string;
  /**
   * SASL extensions. node-rdkafka 3.6 cannot pass them to librdkafka (its `setToken` takes the token only),
   * so a token with extensions is refused rather than sent without them.
   */
  readonly extensions?: Readonly<Record<string, string>>;
}

/**
 * confluent_kafka's `oauth_cb`: called with `sasl.oauthbearer.config` before the client connects and again
 * before each token expires; sync or async.
 * @publicApi
 */
export type OAuthBearerTokenProvider = (oauthbearerConfig: string | undefined) => OAuthBearerToken | Promise<OAuthBearerToken>;

/** librdkafka refreshes at 80 % of a token's remaining lifetime, and retries a failed refresh after 10 s. */
const REFRESH_AT = 0.8;
const RETRY_MS = 10_000;
/** Never refresh in a tight loop, whatever lifetime a provider claims. */
const MIN_REFRESH_MS = 1_000;

/** Where a refresher sends the token and its failures. @internal */
export interface OAuthBearerSink {
  /** Hands the token to librdkafka (node-rdkafka's `setOauthBearerToken`). */
  setToken(token: string): void;
  /** A failed refresh, as librdkafka reports one to error_cb. */
  onError(error: KafkaError): void;
}

function expiryMs(t: OAuthBearerToken): number {
  if (typeof t.lifetimeMs === 'number' && Number.isFinite(t.lifetimeMs)) return t.lifetimeMs;
  if (typeof t.expiry === 'number' && Number.isFinite(t.expiry)) return t.expiry * 1000;
  throw new KafkaException(
    ErrorCode._INVALID_ARG,
    'oauth_cb: the token needs lifetimeMs (ms since the epoch) or expiry (s since the epoch)',
  );
}

function validated(t: OAuthBearerToken, now: number): { token: string; expiresAt: number } {
  if (!t || typeof t.token !== 'string' || t.token === '')
    throw new KafkaException(ErrorCode._INVALID_ARG, 'oauth_cb: expected { token, lifetimeMs | expiry }');
  if (t.extensions && Object.keys(t.extensions).length > 0) {
    throw new KafkaException(
      ErrorCode._NOT_IMPLEMENTED,
      'oauth_cb: SASL extensions cannot be passed on: node-rdkafka 3.6 sets the token only',
    );
  }
  const expiresAt = expiryMs(t);
  if (expiresAt <= now)
    throw new KafkaException(ErrorCode._INVALID_ARG, `oauth_cb: the token expired at ${new Date(expiresAt).toISOString()}`);
  return { token: t.token, expiresAt };
}

/**
 * Calls the provider and checks its answer.
 * @throws KafkaException: the answer's problem (`_INVALID_ARG`, `_NOT_IMPLEMENTED`) or `_AUTHENTICATION` when the
 *   provider failed
 */
async function fetchToken(provider: OAuthBearerTokenProvider, config: string | undefined): Promise<{ token: string; expiresAt: number }> {
  try {
    return validated(await provider(config), Date.now());
  } catch (e) {
    if (e instanceof KafkaException) throw e;
    throw new KafkaException(ErrorCode._AUTHENTICATION, `oauth_cb failed: ${e instanceof Error ? e.message : String(e)}`, undefined, {
      cause: e,
    });
  }
}

/**
 * A token on demand for clients that authenticate per connection (the admin's JavaScript backends): the
 * provider's last token until 80 % of its lifetime has passed, then a new one.
 * @internal
 */
export function oauthTokenSource(provider: OAuthBearerTokenProvider, oauthbearerConfig: string | undefined): () => Promise<string> {
  let cached: { token: string; refreshAt: number } | undefined;
  return async () => {
    const now = Date.now();
    if (cached && now < cached.refreshAt) return cached.token;
    const fresh = await fetchToken(provider, oauthbearerConfig);
    cached = { token: fresh.token, refreshAt: now + (fresh.expiresAt - now) * REFRESH_AT };
    return fresh.token;
  };
}

/**
 * Keeps a client's OAUTHBEARER token fresh from an `oauth_cb`. node-rdkafka 3.6 registers no librdkafka
 * refresh callback (its `setToken` sets the token with an unlimited lifetime), so librdkafka never asks for a
 * new token: the refresher schedules the refresh itself, at librdkafka's own point (80 % of the lifetime).
 * Failures go to `onError` and are retried after 10 s; the previous token stays in use until it expires
 * (node-rdkafka binds no `oauthbearer_set_token_failure`).
 * @internal
 */
export class OAuthBearerRefresher {
  readonly #provider: OAuthBearerTokenProvider;
  readonly #config: string | undefined;
  readonly #sink: OAuthBearerSink;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(provider: OAuthBearerTokenProvider, oauthbearerConfig: string | undefined, sink: OAuthBearerSink) {
    this.#provider = provider;
    this.#config = oauthbearerConfig;
    this.#sink = sink;
  }

  /**
   * Fetches and sets the first token, then keeps refreshing until `stop()`.
   * @throws KafkaException `_AUTHENTICATION` (or the token's own problem) when the first token cannot be had
   */
  async start(): Promise<void> {
    this.#stopped = false;
    const expiresAt = await this.#fetchAndSet();
    this.#schedule(expiresAt);
  }

  /** Stops refreshing (the client is closing). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #fetchAndSet(): Promise<number> {
    const fresh = await fetchToken(this.#provider, this.#config);
    if (!this.#stopped) this.#sink.setToken(fresh.token);
    return fresh.expiresAt;
  }

  #schedule(expiresAt: number): void {
    if (this.#stopped) return;
    const delay = Math.max(MIN_REFRESH_MS, (expiresAt - Date.now()) * REFRESH_AT);
    this.#arm(delay);
  }

  #arm(delayMs: number): void {
    clearTimeout(this.#timer);
    // unref'd: a token refresh never keeps the process alive on its own.
    this.#timer = setTimeout(() => void this.#refresh(), delayMs).unref();
  }

  async #refresh(): Promise<void> {
    try {
      this.#schedule(await this.#fetchAndSet());
    } catch (e) {
      if (this.#stopped) return;
      this.#sink.onError(e instanceof KafkaException ? e.error : new KafkaError(ErrorCode._AUTHENTICATION, String(e)));
      this.#arm(RETRY_MS);
    }
  }
}

/**
 * The refresher of a client config, or undefined without `oauth_cb`.
 * @throws ConfigException when `oauth_cb` is combined with librdkafka's own OIDC token retrieval
 * @internal
 */
export function oauthRefresherFor(
  provider: OAuthBearerTokenProvider | undefined,
  properties: Readonly<Record<string, unknown>>,
  sink: OAuthBearerSink,
): OAuthBearerRefresher | undefined {
  if (provider === undefined) return undefined;
  if (String(properties['sasl.oauthbearer.method'] ?? '').toLowerCase() === 'oidc') {
    throw new ConfigException('oauth_cb', 'cannot be combined with sasl.oauthbearer.method=oidc (librdkafka fetches the token itself)');
  }
  const config = properties['sasl.oauthbearer.config'];
  return new OAuthBearerRefresher(provider, config === undefined ? undefined : String(config), sink);
}
