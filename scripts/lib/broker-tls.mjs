// TLS material for the embedded broker's secured listeners, made fresh by openssl on every start (nothing that
// expires is committed): a CA, a broker certificate for 127.0.0.1 and localhost, and a client certificate for
// the mTLS listener. EC P-256 keys: generating them takes milliseconds, where RSA keys would slow the start.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Long enough for a broker left running over a weekend; the files are replaced on the next start anyway. */
const VALID_DAYS = 7;
/** The subject of the mTLS client certificate: the broker's principal `User:CN=…` for it is a super user. */
export const CLIENT_CERT_CN = 'nest-rdkafka-test-client';

function openssl(args) {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`could not run openssl (needed for the broker's TLS listeners): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed (${r.status}): ${r.stderr}`);
}

const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * Writes `name`.key (PKCS#8, unencrypted, as Kafka's PEM keystore reads it) and `name`.crt, signed by the CA in
 * `dir` (or self-signed as the CA when `ca` is true).
 */
function certificate(dir, name, { subject, extensions, ca = false }) {
  const files = { key: path.join(dir, `${name}.key`), cert: path.join(dir, `${name}.crt`) };
  const signer = ca ? [] : ['-CA', path.join(dir, 'ca.crt'), '-CAkey', path.join(dir, 'ca.key')];
  openssl([
    'req',
    '-x509',
    ...NEW_KEY,
    '-keyout',
    files.key,
    '-out',
    files.cert,
    '-days',
    String(VALID_DAYS),
    '-subj',
    subject,
    ...signer,
    ...extensions.flatMap((e) => ['-addext', e]),
  ]);
  return files;
}

/**
 * Generates the CA, broker and client certificates into `dir`.
 * @returns {{dir: string, caLocation: string, brokerKeystore: string, clientCertLocation: string, clientKeyLocation: string}}
 */
export function generateBrokerTls(dir) {
  fs.mkdirSync(dir, { recursive: true });
  certificate(dir, 'ca', {
    ca: true,
    subject: '/CN=nest-rdkafka test CA',
    extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
  });
  const leaf = (usage) => ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', `extendedKeyUsage=${usage}`];
  const broker = certificate(dir, 'broker', {
    subject: '/CN=localhost',
    extensions: [...leaf('serverAuth'), 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
  });
  const client = certificate(dir, 'client', { subject: `/CN=${CLIENT_CERT_CN}`, extensions: leaf('clientAuth') });
  // Kafka's PEM keystore file holds the private key followed by the certificate chain.
  const brokerKeystore = path.join(dir, 'broker-keystore.pem');
  fs.writeFileSync(brokerKeystore, fs.readFileSync(broker.key, 'utf8') + fs.readFileSync(broker.cert, 'utf8'));
  fs.rmSync(path.join(dir, 'ca.srl'), { force: true });
  return { dir, caLocation: path.join(dir, 'ca.crt'), brokerKeystore, clientCertLocation: client.cert, clientKeyLocation: client.key };
}

/**
 * The broker properties of the TLS listeners SSL (server TLS only), SASL_SSL (SCRAM over TLS) and MTLS (TLS with
 * a required client certificate), all with the keystore and truststore from generateBrokerTls.
 */
export function tlsListenerProperties(tls) {
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return [
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${tls.brokerKeystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${tls.caLocation}`,
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=' + scram,
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=' + scram,
    'listener.name.mtls.ssl.client.auth=required',
  ];
}
