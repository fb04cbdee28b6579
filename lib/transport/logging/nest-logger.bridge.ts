import type { LoggerService } from '@nestjs/common';
import type { ClientCallbacks, KafkaLogger } from '../../client/config/index.js';
import type { KafkaError } from '../../errors/index.js';
import type { ThrottleEvent } from '../../client/throttle-event.js';
import { redactLine } from './redact.js';

/**
 * A `KafkaLogger` that writes to a Nest logger with a fixed context and masks secrets in every line. librdkafka's
 * syslog severities are mapped to Nest's levels by the client layer (error <= 3, warn 4, log 5-6, debug 7).
 * @internal
 */
export function toKafkaLogger(logger: LoggerService, context: string): KafkaLogger {
  const clean = (m: unknown): string => redactLine(typeof m === 'string' ? m : String(m));
  return {
    error: (m, ...rest) => logger.error(clean(m), ...withContext(rest, context)),
    warn: (m) => logger.warn(clean(m), context),
    log: (m) => logger.log(clean(m), context),
    debug: (m) => (logger.debug ?? logger.log).call(logger, clean(m), context),
    verbose: (m) => (logger.verbose ?? logger.log).call(logger, clean(m), context),
  };
}

/** error(message, stack?, context?): keep a stack the caller gave, force our context. */
function withContext(rest: unknown[], context: string): unknown[] {
  const stack = rest.find((r) => typeof r === 'string' && r.includes('\n    at '));
  return stack ? [stack, context] : [context];
}

/**
 * The client-layer callbacks that send a client's error, throttle and statistics events and librdkafka's log
 * lines to a Nest logger, and still call the application's own callbacks afterwards.
 * @param logger the Nest logger (the DI-provided one when there is one)
 * @param context the log context, e.g. `ServerRdKafka`
 * @param user the application's callbacks from its config, called after logging
 * @returns callbacks to put in the client's config
 * @internal
 */
export function nestLoggerCallbacks(
  logger: LoggerService,
  context: string,
  user: ClientCallbacks = {},
): Required<Pick<ClientCallbacks, 'error_cb' | 'throttle_cb' | 'stats_cb' | 'logger'>> {
  const kafkaLogger = toKafkaLogger(logger, context);
  return {
    logger: user.logger ? fanOut(kafkaLogger, user.logger) : kafkaLogger,
    error_cb: (err: KafkaError) => {
      if (err.fatal) kafkaLogger.error(`Fatal client error: ${err.toString()}`);
      else kafkaLogger.warn(`Client error: ${err.toString()}`);
      user.error_cb?.(err);
    },
    throttle_cb: (event: ThrottleEvent) => {
      kafkaLogger.warn(`Throttled: ${event.toString()}`);
      user.throttle_cb?.(event);
    },
    stats_cb: (json: string) => {
      kafkaLogger.debug!(`Statistics: ${json.length} bytes`);
      user.stats_cb?.(json);
    },
  };
}

/** Both the Nest logger and the application's own logger get librdkafka's lines. */
function fanOut(a: KafkaLogger, b: KafkaLogger): KafkaLogger {
  return {
    error: (m, ...r) => {
      a.error(m, ...r);
      b.error(m, ...r);
    },
    warn: (m, ...r) => {
      a.warn(m, ...r);
      b.warn(m, ...r);
    },
    log: (m, ...r) => {
      a.log(m, ...r);
      b.log(m, ...r);
    },
    debug: (m, ...r) => {
      a.debug?.(m, ...r);
      (b.debug ?? b.log).call(b, m, ...r);
    },
    verbose: (m, ...r) => {
      a.verbose?.(m, ...r);
      (b.verbose ?? b.log).call(b, m, ...r);
    },
  };
}
