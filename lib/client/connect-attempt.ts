import { ErrorCode, KafkaError, KafkaException, fromNativeError, toKafkaException } from '../errors/index.js';
import type { NativeValue } from './config/index.js';

/** How often a client's event queue is served while it connects, in ms: how late error_cb may see an error. */
const SERVE_INTERVAL_MS = 50;

/** Errors that end a connect at once: retrying cannot fix them, and waiting only hides them. */
const FATAL_TO_CONNECT: ReadonlySet<number> = new Set([ErrorCode._AUTHENTICATION, ErrorCode.SASL_AUTHENTICATION_FAILED]);

/**
 * librdkafka's FAIL lines for a TLS failure no retry can fix: a handshake that failed (broker certificate not
 * trusted, hostname mismatch, no common protocol), or the broker refusing our certificate (TLS alerts 42 bad
 * certificate, 48 unknown CA, 116 certificate required; with TLS 1.3 they come after the handshake). A
 * handshake cut by a disconnect ("connecting to a PLAINTEXT broker listener?") may be a restarting broker.
 */
const DEFINITE_TLS_FAILURE = /SSL handshake failed(?!.*PLAINTEXT broker listener)|SSL alert number (42|48|116)\b/;

/** Errors that say why no broker answered; the most specific one seen names the connect failure. */
const TRANSPORT_CODES: ReadonlySet<number> = new Set([ErrorCode._TRANSPORT, ErrorCode._ALL_BROKERS_DOWN, ErrorCode._RESOLVE]);

/** What a connect error names: the brokers and, for SASL, the user and mechanism (never the password). @internal */
export interface ConnectTarget {
  bootstrapServers: string;
  saslUsername?: string;
  saslMechanism?: string;
}

/** The part of the config a connect error names. @internal */
export function connectTargetOf(props: Record<string, NativeValue>): ConnectTarget {
  const text = (k: string) => (props[k] === undefined ? undefined : String(props[k]));
  return {
    bootstrapServers: text('bootstrap.servers') ?? text('metadata.broker.list') ?? '(none)',
    saslUsername: text('sasl.username'),
    saslMechanism: text('sasl.mechanisms') ?? text('sasl.mechanism'),
  };
}

interface NativeLog {
  severity: number;
  fac: string;
  message: string;
}

/** What an attempt uses of node-rdkafka's Producer or KafkaConsumer (a seam for fakes). @internal */
export interface ConnectableNative {
  connect(options: { timeout: number }, cb: (err: unknown) => void): unknown;
  /** node-rdkafka says true once the native handle exists, before the first metadata arrived. */
  isConnected(): boolean;
}

/**
 * One `connect()`. librdkafka hands a client's error events over only when its queue is served, and
 * node-rdkafka serves a producer's queue only in poll() and a consumer's only in consume(): before connect()
 * completes nothing did, so an unreachable cluster or a refused password surfaced as a bare
 * `broker transport failure` after the whole timeout, with error_cb never called. An attempt serves the queue
 * from the moment the native handle exists (so error_cb sees every error at once), ends at the first
 * authentication failure or definite TLS failure (`_SSL`), and names the brokers and the cause librdkafka
 * logged in its error.
 * @internal
 */
export class ConnectAttempt {
  #lastFailure: string | undefined;
  #lastError: KafkaError | undefined;

  constructor(
    private readonly native: ConnectableNative,
    private readonly target: ConnectTarget,
    /** Serves the client's event queue once (a producer polls; a consumer consumes with no wait). */
    private readonly serve: () => void,
  ) {}

  /**
   * Starts the native connect.
   * @returns `done`, what connect() answers; `nativeSettled`, when node-rdkafka's own connect has finished
   *   (later than `done` after an early failure: another connect must not start before)
   */
  run(timeoutMs: number): { done: Promise<void>; nativeSettled: Promise<void> } {
    const emitter = this.native as unknown as NodeJS.EventEmitter;
    let finish: (err: KafkaException | null) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = (err) => {
        finish = () => undefined;
        emitter.off('event.error', onError);
        emitter.off('event.log', onLog);
        if (err) reject(err);
        else resolve();
      };
    });
    const onError = (e: unknown) => this.onError(fromNativeError(e), (err) => finish(err));
    const onLog = (l: NativeLog) => {
      if (l?.fac !== 'FAIL') return;
      this.#lastFailure = String(l.message).replace(/^\[thrd:[^\]]*\]: /, '');
      if (DEFINITE_TLS_FAILURE.test(this.#lastFailure)) finish(this.tlsFailure(this.#lastFailure));
    };
    emitter.on('event.error', onError);
    emitter.on('event.log', onLog);
    const timer = setInterval(() => this.serveOnce(), SERVE_INTERVAL_MS).unref();
    const nativeSettled = new Promise<void>((settled) => {
      this.native.connect({ timeout: timeoutMs }, (err) => {
        clearInterval(timer);
        settled();
        finish(err ? this.failure(toKafkaException(err, ErrorCode._TRANSPORT), timeoutMs) : null);
      });
    });
    return { done, nativeSettled };
  }

  private serveOnce(): void {
    // node-rdkafka marks the client connected once the handle exists, before the first metadata arrives.
    if (!this.native.isConnected()) return;
    try {
      this.serve();
    } catch {
      // The handle went away between the check and the call (connect failed meanwhile): nothing to serve.
    }
  }

  private onError(err: KafkaError, fail: (e: KafkaException) => void): void {
    if (FATAL_TO_CONNECT.has(err.code)) return fail(this.authFailure(err));
    if (TRANSPORT_CODES.has(err.code) && (this.#lastError?.code !== ErrorCode._RESOLVE || err.code === ErrorCode._RESOLVE))
      this.#lastError = err;
  }

  private authFailure(err: KafkaError): KafkaException {
    const { saslUsername, saslMechanism, bootstrapServers } = this.target;
    const who = saslUsername ? ` for user "${saslUsername}"${saslMechanism ? ` (${saslMechanism})` : ''}` : '';
    const cause = this.#lastFailure ?? err.reason;
    return new KafkaException(ErrorCode._AUTHENTICATION, `connect(): authentication failed${who} at ${bootstrapServers}: ${cause}`);
  }

  private tlsFailure(cause: string): KafkaException {
    return new KafkaException(ErrorCode._SSL, `connect(): TLS failed at ${this.target.bootstrapServers}: ${cause}`);
  }

  private failure(ex: KafkaException, timeoutMs: number): KafkaException {
    const code = ex.error.code === ErrorCode._TRANSPORT && this.#lastError ? this.#lastError.code : ex.error.code;
    const cause = this.#lastFailure ?? this.#lastError?.reason ?? ex.error.reason;
    const reason = `connect(): no broker of ${this.target.bootstrapServers} answered within ${timeoutMs} ms (${new KafkaError(code).reason}): ${cause}`;
    return new KafkaException(new KafkaError(code, reason, { fatal: ex.error.fatal }), undefined, undefined, { cause: ex });
  }
}
