import { fromNativeError, type KafkaError } from '../errors/index.js';
import type { ClientCallbacks, KafkaLogger } from './config/index.js';
import type { NativeClient } from './native/index.js';
import { ThrottleEvent } from './throttle-event.js';

/** Calls a user callback; an exception it throws is logged, never allowed to crash the event loop. @internal */
export function callSafely<A extends unknown[]>(
  logger: KafkaLogger | undefined,
  name: string,
  fn: ((...a: A) => unknown) | undefined,
  ...args: A
): void {
  if (!fn) return;
  try {
    const r = fn(...args);
    if (r && typeof (r as Promise<unknown>).catch === 'function') {
      (r as Promise<unknown>).catch((e: unknown) => logger?.error(`${name} callback rejected: ${String(e)}`, (e as Error)?.stack));
    }
  } catch (e) {
    (logger ?? console).error(`${name} callback threw: ${String(e)}`, (e as Error)?.stack);
  }
}

/** librdkafka logs with syslog severities; Nest's logger has log levels. @internal */
export function logAtSeverity(logger: KafkaLogger, severity: number, message: string, context: string): void {
  if (severity <= 3) logger.error(message, undefined, context);
  else if (severity === 4) logger.warn(message, context);
  else if (severity <= 6) logger.log(message, context);
  else (logger.debug ?? logger.verbose ?? logger.log).call(logger, message, context);
}

interface NativeLog {
  severity: number;
  fac: string;
  message: string;
}
interface NativeThrottle {
  throttleTime: number;
  brokerName: string;
  brokerId: number;
}

/**
 * Routes node-rdkafka's events to confluent_kafka's callbacks: `error_cb` (with the code node-rdkafka drops
 * recovered), `throttle_cb`, `stats_cb` and `logger`. Errors nobody handles go to the logger.
 * @internal
 */
export function wireClientEvents(
  native: NativeClient,
  callbacks: ClientCallbacks,
  context: () => string,
  onError?: (e: KafkaError) => void,
): void {
  const { logger } = callbacks;
  const emitter = native as unknown as NodeJS.EventEmitter;
  emitter.on('event.error', (e: unknown) => {
    const err = fromNativeError(e);
    onError?.(err);
    if (callbacks.error_cb) callSafely(logger, 'error_cb', callbacks.error_cb, err);
    else logger?.error(`${err.toString()}`, undefined, context());
  });
  emitter.on('event.throttle', (t: NativeThrottle) => {
    const event = new ThrottleEvent(t.brokerName, t.brokerId, t.throttleTime);
    callSafely(logger, 'throttle_cb', callbacks.throttle_cb, event);
  });
  emitter.on('event.stats', (s: { message: string }) => callSafely(logger, 'stats_cb', callbacks.stats_cb, s.message));
  if (logger) {
    emitter.on('event.log', (l: NativeLog) => logAtSeverity(logger, l.severity, `[${l.fac}] ${l.message}`, context()));
  }
}
