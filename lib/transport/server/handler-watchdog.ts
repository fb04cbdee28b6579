import type { LoggerService } from '@nestjs/common';
import type { Message } from '../../client/message.js';
import { HandlerTimeoutError } from '../errors/index.js';
import { where } from './record-place.js';

/** @internal */
export interface HandlerWatchdogOptions {
  /** A run is failed with `HandlerTimeoutError` after this long; 0 = never. */
  timeoutMs: number;
  /** A run still going after this long is logged once as a warning; 0 = never. */
  warnAfterMs: number;
  logger: LoggerService;
}

/** One watched run (see `begin`). @internal */
export interface Watched {
  readonly m: Message;
  readonly pattern: string;
  readonly startTick: number;
  warned: boolean;
  expired: boolean;
  readonly onExpire: (err: HandlerTimeoutError) => void;
}

const CTX = 'ServerRdKafka';

/**
 * Time limits of handler runs. One interval timer checks every running handler, rather than timers per record
 * (the hot path runs ~10^5 records/s): a run is measured in ticks of `tickMs`, a tenth of the smaller limit
 * (10 ms to 1 s), so a limit is kept to within one tick late, never early. A run past `warnAfterMs` is logged once with its
 * pattern and record; past `timeoutMs` its promise is failed with `HandlerTimeoutError`, which goes through the
 * error policy. The handler itself cannot be stopped: it keeps running, its late result is ignored (and logged
 * when it arrives).
 * @internal
 */
export class HandlerWatchdog {
  readonly tickMs: number;
  private readonly running = new Set<Watched>();
  private ticks = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: HandlerWatchdogOptions) {
    const limits = [o.timeoutMs, o.warnAfterMs].filter((ms) => ms > 0);
    this.tickMs = limits.length === 0 ? 0 : Math.min(1000, Math.max(10, Math.floor(Math.min(...limits) / 10)));
  }

  /** True when neither limit is set: `watch` is then the identity. */
  get idle(): boolean {
    return this.tickMs === 0;
  }

  /**
   * @param run one handler run (and the stream it returned, and its replies)
   * @param m the record
   * @param pattern the handler's pattern, for the log
   * @returns `run`, or a rejection with `HandlerTimeoutError` when it takes longer than `timeoutMs`
   */
  watch<T>(run: Promise<T>, m: Message, pattern: string): Promise<T> {
    if (this.idle) return run;
    return new Promise<T>((resolve, reject) => {
      const w = this.begin(m, pattern, reject);
      run.then(
        (v) => this.end(w) && resolve(v),
        (e: unknown) => this.end(w, e) && reject(e),
      );
    });
  }

  /**
   * Starts watching a run without wrapping its promise (the dispatcher's hot path settles its own promise).
   * @param onExpire called once when the run expires; `end` then returns false
   */
  begin(m: Message, pattern: string, onExpire: (err: HandlerTimeoutError) => void): Watched {
    this.timer ??= setInterval(() => this.tick(), this.tickMs).unref();
    const w: Watched = { m, pattern, startTick: this.ticks, warned: false, expired: false, onExpire };
    this.running.add(w);
    return w;
  }

  /**
   * Ends watching a run.
   * @param err how the run failed, for the log of a late one
   * @returns true when the run's result still counts (it did not expire)
   */
  end(w: Watched, err?: unknown): boolean {
    if (!w.expired) return this.running.delete(w);
    const how = err === undefined ? 'finished' : `failed (${String(err)})`;
    this.o.logger.warn(
      `Handler for "${w.pattern}" on ${where(w.m)} ${how} after its handlerTimeoutMs (${this.o.timeoutMs} ms) had expired; this late result was ignored`,
      CTX,
    );
    return false;
  }

  /** Stops the timer (the server closed); runs still watched are left to finish. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.ticks++;
    const { timeoutMs, warnAfterMs } = this.o;
    for (const w of this.running) {
      // Whole ticks only: the first one may come at once after the run started, so a limit is never cut short.
      const elapsed = (this.ticks - w.startTick - 1) * this.tickMs;
      if (timeoutMs > 0 && elapsed >= timeoutMs) {
        w.expired = true;
        this.running.delete(w);
        w.onExpire(new HandlerTimeoutError(w.pattern, timeoutMs, w.m.topic, w.m.partition, w.m.offset));
      } else if (warnAfterMs > 0 && !w.warned && elapsed >= warnAfterMs) {
        w.warned = true;
        this.o.logger.warn(
          `Handler for "${w.pattern}" on ${where(w.m)} has been running for ${elapsed} ms (slowHandlerWarnMs ${warnAfterMs})${timeoutMs > 0 ? `; it fails with HandlerTimeoutError at ${timeoutMs} ms` : ''}`,
          CTX,
        );
      }
    }
    if (this.running.size === 0) this.stop();
  }
}
