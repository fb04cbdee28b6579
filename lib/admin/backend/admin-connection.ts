import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { oauthTokenSource } from '../../client/oauth-bearer.js';
import { ConfigException, ErrorCode, KafkaException } from '../../errors/index.js';
import { ADMIN_DEFAULTS } from '../admin.constants.js';
import type { AdminProperties } from '../admin-options.interface.js';

/** Password mechanisms the JavaScript admin backends (kafkajs, kafka-ts) implement. */
export type AdminSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** SASL as the JavaScript backends take it: a password mechanism, or OAUTHBEARER with a token on demand. @internal */
export type AdminSasl =
  | { readonly mechanism: AdminSaslMechanism; readonly username: string; readonly password: string }
  | { readonly mechanism: 'oauthbearer'; readonly token: () => Promise<string> };

/**
 * How the JavaScript admin backends reach the cluster, translated once from librdkafka properties so kafkajs
 * and kafka-ts connect the same way (same CA handling, same hostname check, same client certificate).
 * @internal
 */
export interface AdminConnection {
  readonly brokers: readonly { readonly host: string; readonly port: number }[];
  readonly clientId: string;
  /** Node TLS options; undefined without TLS. */
  readonly tls?: ConnectionOptions;
  readonly sasl?: AdminSasl;
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
}

/** A config value as a number, or the default; throws ConfigException on anything else. @internal */
export function numberProperty(config: AdminProperties, key: string, fallback: number): number {
  const raw = config[key];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new ConfigException(key, `expected a non-negative number, got ${String(raw)}`);
  return n;
}

function booleanProperty(config: AdminProperties, key: string, fallback: boolean): boolean {
  const raw = config[key];
  if (raw === undefined) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new ConfigException(key, `expected true or false, got ${String(raw)}`);
}

function readProperty(config: AdminProperties, key: string): Buffer | undefined {
  const path = config[key];
  if (path === undefined) return undefined;
  try {
    return readFileSync(String(path));
  } catch (e) {
    throw new ConfigException(key, `cannot read ${String(path)}: ${(e as Error).message}`);
  }
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * The CA certificates of `ssl.ca.location` (a PEM file, or a directory of them, as OpenSSL's CApath) and
 * `ssl.ca.pem`, together; undefined keeps Node's default roots, as librdkafka keeps the system's.
 */
function caCertificates(config: AdminProperties): (string | Buffer)[] | undefined {
  const out: (string | Buffer)[] = [];
  const location = config['ssl.ca.location'];
  // librdkafka's `probe` looks up the system's CA locations: Node's default roots stand for them.
  if (location !== undefined && location !== 'probe') {
    const path = String(location);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (e) {
      throw new ConfigException('ssl.ca.location', `cannot read ${path}: ${(e as Error).message}`);
    }
    if (!isDir) out.push(readProperty(config, 'ssl.ca.location')!);
    else {
      // A CApath holds hashed links and other files too: every readable file with a certificate in it counts.
      for (const name of readdirSync(path).sort()) {
        const file = join(path, name);
        const text = statSync(file, { throwIfNoEntry: false })?.isFile() ? readFileSync(file, 'utf8') : '';
        if (text.includes(PEM_CERTIFICATE)) out.push(text);
      }
      if (out.length === 0) throw new ConfigException('ssl.ca.location', `no PEM certificate in directory ${path}`);
    }
  }
  if (config['ssl.ca.pem'] !== undefined) out.push(String(config['ssl.ca.pem']));
  return out.length > 0 ? out : undefined;
}

/** One of two properties (a file location or the PEM text itself), as librdkafka allows either. */
function pemOrFile(config: AdminProperties, pemKey: string, fileKey: string): string | Buffer | undefined {
  if (config[pemKey] !== undefined && config[fileKey] !== undefined) {
    throw new ConfigException(pemKey, `give ${pemKey} or ${fileKey}, not both`);
  }
  return config[pemKey] !== undefined ? String(config[pemKey]) : readProperty(config, fileKey);
}

/**
 * librdkafka's TLS properties as Node TLS options: CA (file, directory or PEM), client certificate and key
 * (file or PEM, with its password), a PKCS#12 keystore, certificate verification and the hostname check
 * (`ssl.endpoint.identification.algorithm`: `https`, librdkafka's default, or `none`).
 * @throws ConfigException on an unreadable file or a contradictory setting
 * @internal
 */
export function tlsOptionsOf(config: AdminProperties): ConnectionOptions {
  const identification = String(config['ssl.endpoint.identification.algorithm'] ?? 'https').toLowerCase();
  if (identification !== 'https' && identification !== 'none') {
    throw new ConfigException('ssl.endpoint.identification.algorithm', `expected https or none, got ${identification}`);
  }
  const keystore = readProperty(config, 'ssl.keystore.location');
  const key = pemOrFile(config, 'ssl.key.pem', 'ssl.key.location');
  const password = config[keystore ? 'ssl.keystore.password' : 'ssl.key.password'];
  return {
    ca: caCertificates(config),
    cert: pemOrFile(config, 'ssl.certificate.pem', 'ssl.certificate.location'),
    key,
    pfx: keystore,
    passphrase: password === undefined ? undefined : String(password),
    rejectUnauthorized: booleanProperty(config, 'enable.ssl.certificate.verification', true),
    // Without a hostname check the certificate chain is still verified, as librdkafka does with `none`.
    ...(identification === 'none' ? { checkServerIdentity: () => undefined } : {}),
  };
}

function saslOf(config: AdminProperties): AdminSasl {
  const mechanism = String(config['sasl.mechanisms'] ?? config['sasl.mechanism'] ?? 'GSSAPI').toLowerCase();
  if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') {
    return { mechanism, username: String(config['sasl.username'] ?? ''), password: String(config['sasl.password'] ?? '') };
  }
  const provider = config.oauth_cb;
  if (mechanism === 'oauthbearer' && typeof provider === 'function') {
    const oauthConfig = config['sasl.oauthbearer.config'];
    return { mechanism, token: oauthTokenSource(provider, oauthConfig === undefined ? undefined : String(oauthConfig)) };
  }
  // librdkafka's default mechanism is GSSAPI; its OIDC token retrieval and unsecured-JWT builder are its own.
  const why =
    mechanism === 'oauthbearer'
      ? "OAUTHBEARER needs an oauth_cb here (librdkafka's own token retrieval is not available to them)"
      : `they do not speak ${mechanism.toUpperCase()}`;
  throw new KafkaException(
    ErrorCode._UNSUPPORTED_FEATURE,
    `SASL mechanism ${mechanism.toUpperCase()} is not supported by the admin's kafkajs/kafka-ts backends: ${why}`,
  );
}

function brokersOf(config: AdminProperties): AdminConnection['brokers'] {
  const servers = config['bootstrap.servers'] ?? config['metadata.broker.list'];
  if (typeof servers !== 'string' || servers.trim() === '') throw new ConfigException('bootstrap.servers', 'required');
  return servers
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((b) => {
      const i = b.lastIndexOf(':');
      const port = Number(b.slice(i + 1));
      if (i <= 0 || !Number.isInteger(port) || port <= 0) throw new ConfigException('bootstrap.servers', `expected host:port, got ${b}`);
      return { host: b.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port };
    });
}

/**
 * Translates the connection part of a librdkafka config for the JavaScript admin backends.
 * @throws ConfigException on a missing or malformed property; KafkaException `_UNSUPPORTED_FEATURE` for a
 *   security setting these backends cannot speak (GSSAPI, OAUTHBEARER)
 * @internal
 */
export function adminConnectionOf(config: AdminProperties): AdminConnection {
  const protocol = String(config['security.protocol'] ?? 'plaintext').toLowerCase();
  if (!['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'].includes(protocol)) {
    throw new ConfigException('security.protocol', `expected plaintext, ssl, sasl_plaintext or sasl_ssl, got ${protocol}`);
  }
  return {
    brokers: brokersOf(config),
    clientId: String(config['client.id'] ?? ADMIN_DEFAULTS.clientId),
    tls: protocol.endsWith('ssl') ? tlsOptionsOf(config) : undefined,
    sasl: protocol.startsWith('sasl') ? saslOf(config) : undefined,
    requestTimeoutMs: numberProperty(config, 'request.timeout.ms', ADMIN_DEFAULTS.requestTimeoutMs),
    connectionTimeoutMs: numberProperty(config, 'socket.connection.setup.timeout.ms', ADMIN_DEFAULTS.connectionTimeoutMs),
  };
}

/**
 * The exception an operation rejects with when its backend cannot use the configuration: the operation, the
 * backend and the reason, with the translation's own code (`_INVALID_ARG`, `_UNSUPPORTED_FEATURE`).
 * @internal
 */
export function unusableConfig(operation: string, backend: string, e: unknown): KafkaException {
  const code = e instanceof KafkaException ? e.code : ErrorCode._INVALID_ARG;
  const reason = e instanceof KafkaException ? e.error.reason : e instanceof Error ? e.message : String(e);
  return new KafkaException(
    code,
    `${operation}: the ${backend} admin backend cannot connect with this configuration: ${reason}`,
    undefined,
    { cause: e },
  );
}
