import type { KafkaConfig, LogEntry, SASLOptions, logCreator } from 'kafkajs';
import type { AdminLogger } from '../admin-options.interface.js';
import type { AdminConnection } from './admin-connection.js';

/** kafkajs's numeric log levels (its `logLevel` enum), kept here so this module needs no runtime import. */
const KAFKAJS_LEVEL = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;

/** Routes kafkajs's log entries to the admin logger: errors and warnings only, never the console. */
function logCreatorFor(logger: AdminLogger | undefined): logCreator {
  return () => (entry: LogEntry) => {
    if (!logger) return;
    const { message, ...extra } = entry.log;
    const text = `[kafkajs ${entry.namespace}] ${message}`;
    if (entry.level === KAFKAJS_LEVEL.ERROR) logger.error(text, extra);
    else if (entry.level === KAFKAJS_LEVEL.WARN) logger.warn(text, extra);
    else logger.debug?.(text, extra);
  };
}

/** kafkajs asks for an OAUTHBEARER token on every new connection (it has no re-authentication). */
function saslOf(sasl: AdminConnection['sasl']): SASLOptions | undefined {
  if (!sasl) return undefined;
  if (sasl.mechanism !== 'oauthbearer') return { ...sasl } as SASLOptions;
  const token = sasl.token;
  return { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: await token() }) };
}

/**
 * The kafkajs client config of a translated connection (see admin-connection.ts).
 * @param connection brokers, TLS and SASL, translated from librdkafka properties
 * @param logger where kafkajs's warnings and errors go (silent without one)
 * @internal
 */
export function toKafkaJsConfig(connection: AdminConnection, logger?: AdminLogger): KafkaConfig {
  return {
    brokers: connection.brokers.map((b) => (b.host.includes(':') ? `[${b.host}]:${b.port}` : `${b.host}:${b.port}`)),
    clientId: connection.clientId,
    ssl: connection.tls,
    sasl: saslOf(connection.sasl),
    requestTimeout: connection.requestTimeoutMs,
    connectionTimeout: connection.connectionTimeoutMs,
    // A few quick retries cover NOT_CONTROLLER/metadata races without turning a definite broker error
    // (e.g. NON_EMPTY_GROUP, which kafkajs marks retriable) into a long wait.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logger ? KAFKAJS_LEVEL.WARN : KAFKAJS_LEVEL.NOTHING,
    logCreator: logCreatorFor(logger),
  };
}
