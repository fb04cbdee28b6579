import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The embedded broker's TLS listeners (scripts/lib/kafka-broker.mjs). */
export type TlsListener = 'SSL' | 'SASL_SSL' | 'MTLS';
/** How the CA and client certificate reach librdkafka: PEM text (`ssl.*.pem`) or files (`ssl.*.location`). */
export type TlsMaterial = 'pem' | 'file';

export const TLS_LISTENERS: readonly TlsListener[] = ['SSL', 'SASL_SSL', 'MTLS'];
export const TLS_MATERIALS: readonly TlsMaterial[] = ['pem', 'file'];
/** Every listener with every way of giving the certificates: the test matrix. */
export const TLS_MATRIX: readonly (readonly [TlsListener, TlsMaterial])[] = TLS_LISTENERS.flatMap((l) =>
  TLS_MATERIALS.map((m) => [l, m] as const),
);

/** The SCRAM user of the SASL_SSL listener (written at format time, a super user). */
export const SCRAM_USER = { username: 'admin', password: 'admin-secret' } as const;

function env(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run integration tests through \`npm test\` or export what \`npm run kafka:start\` prints`);
  return value;
}

/** Paths of the broker's CA and of the client certificate the MTLS listener accepts. */
export function tlsFiles(): { ca: string; cert: string; key: string } {
  return { ca: env('KAFKA_TLS_CA_LOCATION'), cert: env('KAFKA_TLS_CLIENT_CERT_LOCATION'), key: env('KAFKA_TLS_CLIENT_KEY_LOCATION') };
}

export function tlsBootstrapServers(listener: TlsListener): string {
  return env(
    { SSL: 'KAFKA_SSL_BOOTSTRAP_SERVERS', SASL_SSL: 'KAFKA_SASL_SSL_BOOTSTRAP_SERVERS', MTLS: 'KAFKA_MTLS_BOOTSTRAP_SERVERS' }[listener],
  );
}

/** The CA in librdkafka's properties, as PEM text or as a file. */
export function caProperties(material: TlsMaterial, caFile = tlsFiles().ca): Pick<TlsClientConfig, 'ssl.ca.pem' | 'ssl.ca.location'> {
  return material === 'pem' ? { 'ssl.ca.pem': readFileSync(caFile, 'utf8') } : { 'ssl.ca.location': caFile };
}

/** The client certificate and key in librdkafka's properties, as PEM text or as files. */
export function clientCertProperties(
  material: TlsMaterial,
): Pick<TlsClientConfig, 'ssl.certificate.pem' | 'ssl.key.pem' | 'ssl.certificate.location' | 'ssl.key.location'> {
  const f = tlsFiles();
  return material === 'pem'
    ? { 'ssl.certificate.pem': readFileSync(f.cert, 'utf8'), 'ssl.key.pem': readFileSync(f.key, 'utf8') }
    : { 'ssl.certificate.location': f.cert, 'ssl.key.location': f.key };
}

/** librdkafka properties of a TLS client, accepted by every client class and the admin (a type, not an
 * interface, so it fits their index signatures). */
export type TlsClientConfig = {
  'bootstrap.servers': string;
  'security.protocol': 'ssl' | 'sasl_ssl';
  'ssl.ca.pem'?: string;
  'ssl.ca.location'?: string;
  'ssl.certificate.pem'?: string;
  'ssl.key.pem'?: string;
  'ssl.certificate.location'?: string;
  'ssl.key.location'?: string;
  'ssl.endpoint.identification.algorithm'?: 'none' | 'https';
  'sasl.mechanisms'?: string;
  'sasl.username'?: string;
  'sasl.password'?: string;
};

/**
 * librdkafka properties of a client on one TLS listener: the CA always, SCRAM-SHA-512 on SASL_SSL, the client
 * certificate on MTLS. librdkafka's default hostname check (`ssl.endpoint.identification.algorithm=https`) stays
 * on: the broker's certificate names 127.0.0.1.
 */
export function tlsConfig(listener: TlsListener, material: TlsMaterial): TlsClientConfig {
  return {
    'bootstrap.servers': tlsBootstrapServers(listener),
    'security.protocol': listener === 'SASL_SSL' ? 'sasl_ssl' : 'ssl',
    ...caProperties(material),
    ...(listener === 'SASL_SSL'
      ? { 'sasl.mechanisms': 'SCRAM-SHA-512', 'sasl.username': SCRAM_USER.username, 'sasl.password': SCRAM_USER.password }
      : {}),
    ...(listener === 'MTLS' ? clientCertProperties(material) : {}),
  };
}

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr || r.error?.message}`);
}

/**
 * A CA the broker does not know, and a server certificate it signed WITHOUT a subjectAltName (CN only), for the
 * negative cases: a client trusting this CA must refuse the broker; a client checking hostnames must refuse a
 * server presenting this certificate at 127.0.0.1.
 */
export function foreignTls(): { ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nest-rdkafka-tls-'));
  const f = { ca: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: join(dir, 'nosan.crt'), key: join(dir, 'nosan.key') };
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'];
  openssl([
    'req',
    '-x509',
    ...key,
    '-keyout',
    f.caKey,
    '-out',
    f.ca,
    '-subj',
    '/CN=not the broker CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  openssl([
    'req',
    '-x509',
    ...key,
    '-keyout',
    f.key,
    '-out',
    f.cert,
    '-subj',
    '/CN=no-san.invalid',
    '-CA',
    f.ca,
    '-CAkey',
    f.caKey,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
  ]);
  return { ca: f.ca, cert: f.cert, key: f.key };
}

/** One line of the combinations table: listener × client × material, printed after the specs ran. */
export interface TlsCombination {
  readonly listener: TlsListener;
  readonly client: string;
  readonly material: TlsMaterial;
  readonly result: string;
}

/** The table of combinations tested, aligned in columns. */
export function combinationsTable(rows: readonly TlsCombination[]): string {
  const header = { listener: 'listener', client: 'client', material: 'material', result: 'result' };
  const all = [header, ...rows];
  const width = (k: keyof TlsCombination): number => Math.max(...all.map((r) => r[k].length));
  const line = (r: TlsCombination | typeof header): string =>
    (['listener', 'client', 'material', 'result'] as const).map((k) => r[k].padEnd(width(k))).join(' | ');
  return [line(header), ...rows.map(line)].join('\n');
}
