import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, LogEntry, SASLOptions, logCreator } from 'kafkajs';
import { ConfigException } from '../../errors/index.js';
import { ADMIN_DEFAULTS } from '../admin.constants.js';
import type { AdminClientConfig, AdminLogger } from '../admin-options.interface.js';

/** kafkajs's numeric log levels (its `logLevel` enum), kept here so this module needs no runtime import. */
const KAFKAJS_LEVEL = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;

/** A config value as a number, or the default; throws ConfigException on anything else. @internal */
export function numberProperty(config: AdminClientConfig, key: string, fallback: number): number {
  const raw = config[key];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new ConfigException(key, `expected a non-negative number, got ${String(raw)}`);
  return n;
}

function booleanProperty(config: AdminClientConfig, key: string, fallback: boolean): boolean {
  const raw = config[key];
  if (raw === undefined) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new ConfigException(key, `expected true or false, got ${String(raw)}`);
}

function tlsOptions(config: AdminClientConfig): ConnectionOptions {
  const file = (key: string): Buffer | undefined => {
    const path = config[key];
    if (path === undefined) return undefined;
    try {
      return readFileSync(String(path));
    } catch (e) {
      throw new ConfigException(key, `cannot read ${String(path)}: ${(e as Error).message}`);
    }
  };
  return {
    ca: file('ssl.ca.location'),
    cert: file('ssl.certificate.location'),
    key: file('ssl.key.location'),
    passphrase: config['ssl.key.password'] === undefined ? undefined : String(config['ssl.key.password']),
    rejectUnauthorized: booleanProperty(config, 'enable.ssl.certificate.verification', true),
  };
}

function saslOptions(config: AdminClientConfig): SASLOptions {
  const mechanism = String(config['sasl.mechanisms'] ?? config['sasl.mechanism'] ?? 'PLAIN').toLowerCase();
  const username = String(config['sasl.username'] ?? '');
  const password = String(config['sasl.password'] ?? '');
  if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') return { mechanism, username, password };
  throw new ConfigException('sasl.mechanisms', `the admin client supports PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, got ${mechanism}`);
}

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

/**
 * Translates librdkafka properties into a kafkajs client config.
 * @param config the admin client's librdkafka-style config
 * @param logger where kafkajs's warnings and errors go (silent without one)
 * @throws ConfigException on a missing bootstrap.servers or an unsupported security setting
 * @internal
 */
export function toKafkaJsConfig(config: AdminClientConfig, logger?: AdminLogger): KafkaConfig {
  const servers = config['bootstrap.servers'] ?? config['metadata.broker.list'];
  if (typeof servers !== 'string' || servers.trim() === '') throw new ConfigException('bootstrap.servers', 'required');
  const protocol = String(config['security.protocol'] ?? 'plaintext').toLowerCase();
  if (!['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'].includes(protocol)) {
    throw new ConfigException('security.protocol', `expected plaintext, ssl, sasl_plaintext or sasl_ssl, got ${protocol}`);
  }
  return {
    brokers: servers.split(',').map((s) => s.trim()).filter(Boolean),
    clientId: String(config['client.id'] ?? ADMIN_DEFAULTS.clientId),
    ssl: protocol.endsWith('ssl') ? tlsOptions(config) : undefined,
    sasl: protocol.startsWith('sasl') ? saslOptions(config) : undefined,
    requestTimeout: numberProperty(config, 'request.timeout.ms', ADMIN_DEFAULTS.requestTimeoutMs),
    connectionTimeout: numberProperty(config, 'socket.connection.setup.timeout.ms', ADMIN_DEFAULTS.connectionTimeoutMs),
    // A few quick retries cover NOT_CONTROLLER/metadata races without turning a definite broker error
    // (e.g. NON_EMPTY_GROUP, which kafkajs marks retriable) into a long wait.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logger ? KAFKAJS_LEVEL.WARN : KAFKAJS_LEVEL.NOTHING,
    logCreator: logCreatorFor(logger),
  };
}
