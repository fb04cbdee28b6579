import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { Consumer, ErrorCode, KafkaException, Producer } from '../../../lib/index.js';
import { AdminClient } from '../../../lib/admin/index.js';
import {
  caProperties,
  combinationsTable,
  foreignTls,
  TLS_MATERIALS,
  tlsBootstrapServers,
  tlsConfig,
  type TlsClientConfig,
  type TlsCombination,
  type TlsListener,
  type TlsMaterial,
} from '../helpers/tls-env.js';

/** Well above FAIL_FAST_MS, so a rejection within it shows the failure ended the connect, not the timeout. */
const CONNECT_TIMEOUT_MS = 8_000;
const FAIL_FAST_MS = 3_000;

/**
 * node-rdkafka's connect holds one of libuv's 4 pool threads until its own timeout, even after our connect()
 * rejected early; with every thread held, the next client cannot even start connecting. The expiry of each
 * native connect started here, and a wait for a free thread (one kept for everything else) before the next.
 */
const nativeConnects: number[] = [];
async function freePoolThread(timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const held = nativeConnects.filter((t) => t > Date.now());
  if (held.length >= 3) await new Promise((r) => setTimeout(r, Math.min(...held) - Date.now()));
  nativeConnects.push(Date.now() + timeoutMs + 500);
}
const tested: TlsCombination[] = [];
const foreign = foreignTls();

afterAll(() => {
  console.log(`TLS failures tested (each must be refused with a KafkaException naming the cause):\n${combinationsTable(tested)}`);
});

/** A client of ours connecting (or, for the admin, running one kafkajs operation): the error and its time. */
type Attempt = (config: TlsClientConfig) => Promise<unknown>;
const CLIENTS: Record<string, { attempt: Attempt; code: number; native: boolean }> = {
  Producer: {
    code: ErrorCode._SSL,
    native: true,
    attempt: async (config) => {
      const p = new Producer({ ...config });
      try {
        await p.connect(CONNECT_TIMEOUT_MS);
      } finally {
        await p.close(1000);
      }
    },
  },
  Consumer: {
    code: ErrorCode._SSL,
    native: true,
    attempt: async (config) => {
      const c = new Consumer({ ...config, 'group.id': 'tls-failures' });
      try {
        await c.connect(CONNECT_TIMEOUT_MS);
      } finally {
        await c.close();
      }
    },
  },
  'AdminClient (kafkajs)': {
    code: ErrorCode._TRANSPORT,
    native: false,
    attempt: async (config) => {
      const a = new AdminClient({ ...config, 'request.timeout.ms': CONNECT_TIMEOUT_MS });
      try {
        await a.describeCluster();
      } finally {
        await a.close();
      }
    },
  },
};

/** The rejection of a client's attempt and how long it took (counted once a pool thread is free for it). */
async function refused(client: string, config: TlsClientConfig): Promise<{ error: KafkaException; ms: number }> {
  if (CLIENTS[client].native) await freePoolThread();
  const started = Date.now();
  const error = await CLIENTS[client].attempt(config).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof KafkaException)) throw new Error(`expected a KafkaException, got ${String(error)}`);
  return { error, ms: Date.now() - started };
}

const cases = Object.keys(CLIENTS).flatMap((client) => TLS_MATERIALS.map((material) => [client, material] as const));

describe.each(cases)('%s with certificates as %s refuses a TLS peer it must not trust (embedded broker)', (client, material) => {
  const { code } = CLIENTS[client];
  const record = (listener: TlsListener, what: string, ms: number): void =>
    void tested.push({ listener, client, material, result: `${what}: refused in ${ms} ms` });

  it('a broker certificate from another CA: a KafkaException naming the verification failure, within seconds', async () => {
    const { error, ms } = await refused(client, { ...tlsConfig('SSL', material), ...caProperties(material, foreign.ca) });
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/certificate verify failed|unable to verify the first certificate/);
    expect(ms).toBeLessThan(FAIL_FAST_MS);
    record('SSL', 'wrong CA', ms);
  });

  it('the mTLS listener without a client certificate: refused by the broker, named', async () => {
    // The SSL listener's settings (the CA, no client certificate) at the MTLS listener.
    const { error, ms } = await refused(client, { ...tlsConfig('SSL', material), 'bootstrap.servers': tlsBootstrapServers('MTLS') });
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/alert (bad certificate|certificate required)|SSL alert number (42|116)/);
    expect(ms).toBeLessThan(FAIL_FAST_MS);
    record('MTLS', 'no client certificate', ms);
  });
});

describe('hostname verification (ssl.endpoint.identification.algorithm)', () => {
  /** A TLS server at 127.0.0.1 whose certificate (signed by `foreign.ca`) names no IP or DNS name. */
  let server: tls.Server;
  let handshakes = 0;
  let address: string;

  beforeAll(async () => {
    server = tls.createServer({ cert: readFileSync(foreign.cert), key: readFileSync(foreign.key) }, (socket) => {
      handshakes += 1;
      socket.destroy();
    });
    // A client's failed handshake is an error on the server side: expected here.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const atServer = (material: TlsMaterial, algorithm: 'https' | 'none'): TlsClientConfig => ({
    'bootstrap.servers': address,
    'security.protocol': 'ssl',
    ...caProperties(material, foreign.ca),
    'ssl.endpoint.identification.algorithm': algorithm,
  });

  it.each(TLS_MATERIALS)('https with the broker certificate for 127.0.0.1 connects (certificates as %s)', async (material) => {
    await freePoolThread(0);
    const producer = new Producer({ ...tlsConfig('SSL', material), 'ssl.endpoint.identification.algorithm': 'https' });
    await producer.connect(CONNECT_TIMEOUT_MS);
    await producer.close();
    tested.push({ listener: 'SSL', client: 'Producer', material, result: 'https, SAN IP:127.0.0.1: connected' });
  });

  it.each(Object.keys(CLIENTS))(
    '%s: https refuses a certificate without the SAN 127.0.0.1; none lets the same handshake through',
    async (client) => {
      const { code } = CLIENTS[client];
      const { error, ms } = await refused(client, atServer('file', 'https'));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/certificate verify failed|does not match certificate's altnames/);
      expect(ms).toBeLessThan(FAIL_FAST_MS);
      expect(handshakes).toBe(0);
      tested.push({ listener: 'SSL', client, material: 'file', result: `https, no SAN: refused in ${ms} ms` });
      // The control: the same CA and certificate pass once the hostname check is off (the server then hangs up).
      const before = handshakes;
      if (CLIENTS[client].native) await freePoolThread(2000);
      const quick: Attempt =
        client === 'AdminClient (kafkajs)'
          ? async (c) => {
              const a = new AdminClient({ ...c, 'request.timeout.ms': 2000 });
              try {
                await a.describeCluster();
              } finally {
                await a.close();
              }
            }
          : async (c) => {
              const p = new Producer({ ...c });
              try {
                await p.connect(2000);
              } finally {
                await p.close(1000);
              }
            };
      await quick(atServer('file', 'none')).catch(() => undefined);
      expect(handshakes).toBeGreaterThan(before);
      handshakes = 0;
    },
  );
});
