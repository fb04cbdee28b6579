import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminClient } from '../../../lib/admin/admin-client.js';
import type { AdminClientConfig } from '../../../lib/admin/admin-options.interface.js';
import { adminConnectionOf, tlsOptionsOf } from '../../../lib/admin/backend/admin-connection.js';
import { toKafkaJsConfig } from '../../../lib/admin/backend/kafkajs-config.js';
import { ConfigException, ErrorCode, KafkaException } from '../../../lib/errors/index.js';

const pem = (name: string): string => `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`;
const dir = mkdtempSync(join(tmpdir(), 'admin-tls-'));
const caDir = join(dir, 'ca.d');
mkdirSync(caDir);
writeFileSync(join(caDir, 'a.pem'), pem('CA-A'));
writeFileSync(join(caDir, 'b.crt'), pem('CA-B'));
writeFileSync(join(caDir, 'README'), 'not a certificate');
writeFileSync(join(dir, 'ca.pem'), pem('CA-FILE'));
writeFileSync(join(dir, 'client.key'), 'KEY-FILE');
writeFileSync(join(dir, 'client.p12'), 'P12');
const ssl = { 'bootstrap.servers': 'h:1', 'security.protocol': 'ssl' };

describe("librdkafka TLS properties → the admin backends' TLS options", () => {
  it('reads a CA directory (every PEM in it) and adds ssl.ca.pem to it', () => {
    const tls = tlsOptionsOf({ ...ssl, 'ssl.ca.location': caDir, 'ssl.ca.pem': pem('CA-INLINE') });
    expect(tls.ca).toEqual([pem('CA-A'), pem('CA-B'), pem('CA-INLINE')]);
  });

  it("reads a CA file, or takes ssl.ca.pem alone, and keeps Node's roots for `probe`", () => {
    expect(String((tlsOptionsOf({ ...ssl, 'ssl.ca.location': join(dir, 'ca.pem') }).ca as Buffer[])[0])).toBe(pem('CA-FILE'));
    expect(tlsOptionsOf({ ...ssl, 'ssl.ca.pem': pem('CA-INLINE') }).ca).toEqual([pem('CA-INLINE')]);
    expect(tlsOptionsOf({ ...ssl, 'ssl.ca.location': 'probe' }).ca).toBeUndefined();
  });

  it('takes the client certificate and key as PEM text or files, with the key password', () => {
    const tls = tlsOptionsOf({
      ...ssl,
      'ssl.certificate.pem': pem('CERT'),
      'ssl.key.location': join(dir, 'client.key'),
      'ssl.key.password': 'kp',
    });
    expect(tls).toMatchObject({ cert: pem('CERT'), passphrase: 'kp' });
    expect(String(tls.key)).toBe('KEY-FILE');
    expect(tlsOptionsOf({ ...ssl, 'ssl.key.pem': 'KEY-PEM' }).key).toBe('KEY-PEM');
  });

  it('takes a PKCS#12 keystore with its password', () => {
    const tls = tlsOptionsOf({ ...ssl, 'ssl.keystore.location': join(dir, 'client.p12'), 'ssl.keystore.password': 'sp' });
    expect(String(tls.pfx)).toBe('P12');
    expect(tls.passphrase).toBe('sp');
  });

  it('follows certificate verification and the hostname check as librdkafka does', () => {
    expect(tlsOptionsOf(ssl)).toMatchObject({ rejectUnauthorized: true });
    expect(tlsOptionsOf(ssl).checkServerIdentity).toBeUndefined();
    expect(tlsOptionsOf({ ...ssl, 'enable.ssl.certificate.verification': 'false' }).rejectUnauthorized).toBe(false);
    const none = tlsOptionsOf({ ...ssl, 'ssl.endpoint.identification.algorithm': 'none' });
    expect(none.rejectUnauthorized).toBe(true);
    expect(none.checkServerIdentity?.('other-host', {} as never)).toBeUndefined();
  });

  it('refuses unreadable files, a CA directory without certificates and contradictory settings with ConfigException', () => {
    expect(() => tlsOptionsOf({ ...ssl, 'ssl.ca.location': join(dir, 'missing.pem') })).toThrow(ConfigException);
    const empty = join(dir, 'empty.d');
    mkdirSync(empty);
    expect(() => tlsOptionsOf({ ...ssl, 'ssl.ca.location': empty })).toThrow(/no PEM certificate/);
    expect(() => tlsOptionsOf({ ...ssl, 'ssl.key.pem': 'K', 'ssl.key.location': join(dir, 'client.key') })).toThrow(/not both/);
    expect(() => tlsOptionsOf({ ...ssl, 'ssl.endpoint.identification.algorithm': 'dns' })).toThrow(ConfigException);
  });

  it('gives kafkajs exactly the translated TLS options (kafka-ts takes the same object)', () => {
    const connection = adminConnectionOf({ ...ssl, 'ssl.ca.pem': pem('CA-INLINE') });
    expect(toKafkaJsConfig(connection).ssl).toBe(connection.tls);
  });
});

describe('librdkafka connection properties → the admin backends', () => {
  it('translates servers, client id, SASL and timeouts, and stays silent without a logger', () => {
    const c = toKafkaJsConfig(
      adminConnectionOf({
        'bootstrap.servers': 'h1:1, h2:2',
        'client.id': 'me',
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanisms': 'SCRAM-SHA-512',
        'sasl.username': 'u',
        'sasl.password': 'p',
        'request.timeout.ms': '1234',
      }),
    );
    expect(c).toMatchObject({ brokers: ['h1:1', 'h2:2'], clientId: 'me', ssl: undefined, requestTimeout: 1234, logLevel: 0 });
    expect(c.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
  });

  it('routes kafkajs log entries to the given logger', () => {
    const calls: [string, string, unknown][] = [];
    const logger = {
      error: (m: string, x: unknown) => void calls.push(['error', m, x]),
      warn: (m: string, x: unknown) => void calls.push(['warn', m, x]),
    };
    const log = toKafkaJsConfig(adminConnectionOf({ 'bootstrap.servers': 'h:1' }), logger).logCreator!(2);
    log({ namespace: 'Admin', level: 2, label: 'WARN', log: { timestamp: 't', message: 'careful', extra: 1 } });
    log({ namespace: 'Admin', level: 1, label: 'ERROR', log: { timestamp: 't', message: 'broken' } });
    expect(calls).toEqual([
      ['warn', '[kafkajs Admin] careful', { timestamp: 't', extra: 1 }],
      ['error', '[kafkajs Admin] broken', { timestamp: 't' }],
    ]);
  });

  it('rejects a missing bootstrap.servers and malformed settings with ConfigException', () => {
    expect(() => adminConnectionOf({} as never)).toThrow(ConfigException);
    expect(() => adminConnectionOf({ 'bootstrap.servers': 'h:1', 'security.protocol': 'carrier_pigeon' })).toThrow(/security.protocol/);
    expect(() => adminConnectionOf({ 'bootstrap.servers': 'h:1', 'request.timeout.ms': 'soon' })).toThrow(/request.timeout.ms/);
    expect(() => adminConnectionOf({ 'bootstrap.servers': 'h' })).toThrow(/host:port/);
  });

  it('speaks OAUTHBEARER with an oauth_cb: kafkajs asks for the token per connection, the provider per lifetime', async () => {
    let calls = 0;
    const oauth_cb = () => ({ token: `tok${++calls}`, lifetimeMs: Date.now() + 60_000 });
    const connection = adminConnectionOf({
      'bootstrap.servers': 'h:1',
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'OAUTHBEARER',
      oauth_cb,
    });
    const sasl = toKafkaJsConfig(connection).sasl as { mechanism: string; oauthBearerProvider: () => Promise<{ value: string }> };
    expect(sasl.mechanism).toBe('oauthbearer');
    expect(await sasl.oauthBearerProvider()).toEqual({ value: 'tok1' });
    expect(await sasl.oauthBearerProvider()).toEqual({ value: 'tok1' });
    expect(calls).toBe(1);
  });

  it.each(['OAUTHBEARER', 'GSSAPI', undefined])(
    "names SASL mechanism %s unsupported without a way to speak it (librdkafka's default is GSSAPI)",
    (mechanism) => {
      const config = {
        'bootstrap.servers': 'h:1',
        'security.protocol': 'sasl_ssl',
        ...(mechanism ? { 'sasl.mechanisms': mechanism } : {}),
      };
      const error = (() => {
        try {
          adminConnectionOf(config);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(KafkaException);
      expect((error as KafkaException).code).toBe(ErrorCode._UNSUPPORTED_FEATURE);
      expect((error as KafkaException).message).toContain(mechanism ?? 'GSSAPI');
    },
  );
});

describe('AdminClient with a configuration its JavaScript backends cannot speak', () => {
  const oauth: AdminClientConfig = {
    'bootstrap.servers': '127.0.0.1:1',
    'security.protocol': 'sasl_plaintext',
    'sasl.mechanisms': 'OAUTHBEARER',
  };

  it('constructs, and an operation rejects when called, naming the operation and the reason', async () => {
    const admin = new AdminClient(oauth);
    const error = await admin.describeCluster().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KafkaException);
    expect(error).toMatchObject({ code: ErrorCode._UNSUPPORTED_FEATURE });
    expect((error as Error).message).toMatch(
      /describeCluster: the kafkajs admin backend cannot connect with this configuration: SASL mechanism OAUTHBEARER/,
    );
    await expect(admin.connect()).rejects.toThrow(/connect: .*OAUTHBEARER/);
    await admin.close();
  });

  it('an unreadable CA file fails the operation with _INVALID_ARG naming the property, not the construction', async () => {
    const admin = new AdminClient({
      'bootstrap.servers': '127.0.0.1:1',
      'security.protocol': 'ssl',
      'ssl.ca.location': join(dir, 'missing.pem'),
    });
    const error = await admin
      .deleteConsumerGroups(['g'])
      .get('g')!
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: ErrorCode._INVALID_ARG });
    expect((error as Error).message).toMatch(/deleteConsumerGroups: .*ssl\.ca\.location/);
    await admin.close();
  });
});
