import { ClientRdKafka, ErrorCode, KafkaError, KafkaException, Producer, ServerRdKafka, type ClientCallbacks } from '../../../lib/index.js';
import { saslBootstrapServers } from '../helpers/admin-env.js';
import { testConsumer } from '../helpers/client-helpers.js';

/** A port on 127.0.0.1 that nothing listens on (the broker's range is 39xxx/4xxxx). */
const DEAD = '127.0.0.1:1';

const wrongPassword = () => ({
  'bootstrap.servers': saslBootstrapServers(),
  'security.protocol': 'sasl_plaintext' as const,
  'sasl.mechanisms': 'SCRAM-SHA-256',
  'sasl.username': 'alice',
  'sasl.password': 'not-alice-secret',
});

type Client = { connect(timeoutMs?: number): Promise<void>; close(): Promise<unknown> };
const clients: Record<string, (extra: ClientCallbacks & Record<string, unknown>) => Client> = {
  Producer: (extra) => new Producer(extra),
  Consumer: (extra) => testConsumer(extra),
};

/** Connects, and returns what connect() rejected with, how long it took, and what error_cb saw meanwhile. */
async function failedConnect(
  make: (extra: ClientCallbacks & Record<string, unknown>) => Client,
  config: Record<string, unknown>,
  timeoutMs: number,
) {
  const seen: Array<{ at: number; error: KafkaError }> = [];
  const t0 = Date.now();
  const client = make({ ...config, error_cb: (error) => seen.push({ at: Date.now() - t0, error }) });
  const err = await client.connect(timeoutMs).then(
    () => null,
    (e: unknown) => e,
  );
  const tookMs = Date.now() - t0;
  const closeT0 = Date.now();
  await client.close();
  return { err, tookMs, seen, closeMs: Date.now() - closeT0 };
}

describe.each(Object.keys(clients))('%s connect faults', (kind) => {
  const make = clients[kind]!;

  it('rejects a wrong SASL password at once as _AUTHENTICATION, and error_cb sees it before connect() returns', async () => {
    const { err, tookMs, seen, closeMs } = await failedConnect(make, wrongPassword(), 10_000);
    const firstAuth = seen.find((s) => s.error.code === ErrorCode._AUTHENTICATION);
    console.log(
      `${kind} wrong password: connect() rejected after ${tookMs} ms, error_cb got _AUTHENTICATION after ${firstAuth?.at} ms, close() ${closeMs} ms`,
    );
    expect(err).toBeInstanceOf(KafkaException);
    const ex = err as KafkaException;
    expect(ex.code).toBe(ErrorCode._AUTHENTICATION);
    expect(ex.message).toMatch(/authentication failed for user "alice" \(SCRAM-SHA-256\)/);
    expect(ex.message).toContain(saslBootstrapServers());
    expect(ex.message).toMatch(/invalid credentials/);
    expect(ex.message).not.toContain('not-alice-secret');
    expect(tookMs).toBeLessThan(5000);
    expect(firstAuth).toBeDefined();
    expect(firstAuth!.at).toBeLessThanOrEqual(tookMs);
    expect(closeMs).toBeLessThan(2000);
  });

  it('calls error_cb with transport errors while connecting to an unreachable broker, and names it when connect() gives up', async () => {
    const { err, tookMs, seen } = await failedConnect(make, { 'bootstrap.servers': DEAD }, 3000);
    console.log(
      `${kind} unreachable broker: ${seen.length} error_cb calls, the first after ${seen[0]?.at} ms; connect() rejected after ${tookMs} ms`,
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.at).toBeLessThan(1500);
    expect([ErrorCode._TRANSPORT, ErrorCode._ALL_BROKERS_DOWN]).toContain(seen[0]!.error.code);
    const ex = err as KafkaException;
    expect(ex).toBeInstanceOf(KafkaException);
    expect([ErrorCode._TRANSPORT, ErrorCode._ALL_BROKERS_DOWN]).toContain(ex.code);
    expect(ex.message).toContain(`no broker of ${DEAD} answered within 3000 ms`);
    expect(ex.message).toMatch(/Connection refused/);
    expect(tookMs).toBeLessThan(6000);
  });
});

describe('the transport entry points, through Producer and Consumer', () => {
  it('ClientRdKafka.connect() rejects a wrong SASL password at once as _AUTHENTICATION', async () => {
    const client = new ClientRdKafka({ client: wrongPassword() });
    const t0 = Date.now();
    const err = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    console.log(`ClientRdKafka wrong password: connect() rejected after ${Date.now() - t0} ms`);
    expect((err as KafkaException).code).toBe(ErrorCode._AUTHENTICATION);
    expect(Date.now() - t0).toBeLessThan(5000);
    await client.close();
  });

  it('ServerRdKafka.listen() fails a wrong SASL password at once as _AUTHENTICATION', async () => {
    const server = new ServerRdKafka({ client: wrongPassword(), consumer: { 'group.id': 'wrong-password' } });
    const t0 = Date.now();
    const err = await new Promise<unknown>((resolve) => void server.listen((e?: unknown) => resolve(e ?? null)));
    console.log(`ServerRdKafka wrong password: listen() failed after ${Date.now() - t0} ms`);
    expect((err as KafkaException).code).toBe(ErrorCode._AUTHENTICATION);
    expect(Date.now() - t0).toBeLessThan(5000);
    await server.close();
  });
});
