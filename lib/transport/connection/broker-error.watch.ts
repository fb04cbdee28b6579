import type { ClientCallbacks, KafkaLogger } from '../../client/config/index.js';
import type { KafkaError } from '../../errors/index.js';
import { redactLine } from '../logging/redact.js';

/** The callbacks a watch wraps: the ones `nestLoggerCallbacks` builds. */
type Watched = Required<Pick<ClientCallbacks, 'error_cb' | 'logger'>>;

/**
 * Remembers the last thing librdkafka said went wrong with the brokers, so a timeout can say why it happened.
 *
 * Why: librdkafka reports an unreachable or hung cluster only as `broker transport failure` or
 * `Message timed out`, while the cause ("Connect to ipv4#127.0.0.1:9092 failed: Connection refused",
 * "SASL authentication error…") goes to the log and, once the client is served, to `error_cb`. The log line
 * arrives even before `connect()` has finished (librdkafka calls the log callback itself), so it is watched too.
 * @internal
 */
export class BrokerErrorWatch {
  /** The last error-level log line: it carries the concrete cause ("… failed: Connection refused"). */
  #lastLog: { text: string; at: number } | null = null;
  /** The last `error_cb` error: often only the summary (`all broker connections are down`). */
  #lastError: { text: string; at: number } | null = null;

  /**
   * Wraps a client's callbacks: each error-level log line and each `error_cb` error is remembered, then passed on.
   * @param callbacks the callbacks to put in the client's config
   * @returns the same callbacks, watched
   */
  wrap<T extends Watched>(callbacks: T): T {
    const { logger, error_cb } = callbacks;
    const watched: KafkaLogger = {
      error: (m: unknown, ...r: unknown[]) => {
        this.note(String(m), 'log');
        return logger.error(m, ...r);
      },
      warn: (m: unknown, ...r: unknown[]) => logger.warn(m, ...r),
      log: (m: unknown, ...r: unknown[]) => logger.log(m, ...r),
      debug: (m: unknown, ...r: unknown[]) => (logger.debug ?? logger.log).call(logger, m, ...r),
      verbose: (m: unknown, ...r: unknown[]) => (logger.verbose ?? logger.log).call(logger, m, ...r),
    };
    return {
      ...callbacks,
      logger: watched,
      error_cb: (err: KafkaError) => {
        this.note(err.toString(), 'error');
        error_cb(err);
      },
    };
  }

  /** Records a problem; librdkafka's `[FAC] [thrd:…]: ` prefix is dropped, secrets are masked. */
  note(text: string, from: 'log' | 'error' = 'log'): void {
    const entry = { text: redactLine(text).replace(/^\[[A-Z]+\] (\[thrd:[^\]]*\]: )?/, ''), at: Date.now() };
    if (from === 'log') this.#lastLog = entry;
    else this.#lastError = entry;
  }

  /**
   * The last problem reported at or after `since` (ms since the epoch), or null.
   * @param since ignore older reports (those of an earlier, finished attempt)
   */
  lastSince(since: number): string | null {
    // The log line names the cause; error_cb, served since connect() starts, often follows it with a summary.
    for (const e of [this.#lastLog, this.#lastError]) if (e && e.at >= since) return e.text;
    return null;
  }
}
