import type { ProducerConfig } from '../../../lib/client/config/index.js';
import type { Producer } from '../../../lib/client/producer.js';
import { FakeKafka, TestClientRdKafka, TestServerRdKafka } from '../../../lib/testing/index.js';
import type { ClientRdKafkaOptions } from '../../../lib/transport/client/client-rdkafka.options.js';
import type { ServerRdKafkaOptions } from '../../../lib/transport/server/server-rdkafka.options.js';

// Why linger.ms is pinned at 1 on both producers of a request (the request and its reply): every millisecond of
// linger is paid twice per request. librdkafka's own default (5) gave a 13 ms p50 at concurrency 1. 0 gave
// 1.2 ms against 3.4 ms there, but about half the requests/s at concurrency 16 and 64 (1,945 against 3,643 and
// 4,175 against 9,147 in the full bench of 2026-11-28, with a JS-side batching hold; plain 0 measured the same),
// because librdkafka then sends nearly every record in a request of its own. Fractions (0.1) measured as 1.
// docs/benchmarks.md has the sweeps; 0 is the documented opt-in for latency-bound callers.

class CapturingClient extends TestClientRdKafka {
  readonly producerConfigs: ProducerConfig[] = [];
  protected override createProducer(config: ProducerConfig): Producer {
    this.producerConfigs.push(config);
    return super.createProducer(config);
  }
}

class CapturingServer extends TestServerRdKafka {
  readonly producerConfigs: ProducerConfig[] = [];
  protected override createProducer(config: ProducerConfig): Producer {
    this.producerConfigs.push(config);
    return super.createProducer(config);
  }
}

function listen(server: TestServerRdKafka): Promise<void> {
  return new Promise((resolve, reject) => void server.listen((err) => (err ? reject(err) : resolve())));
}

describe('request-reply producer defaults', () => {
  let kafka: FakeKafka;
  const open: Array<{ close(): Promise<void> }> = [];
  beforeEach(() => {
    kafka = new FakeKafka().createTopic('orders', 1).createTopic('orders.reply', 1);
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });

  async function client(options: Partial<ClientRdKafkaOptions> = {}): Promise<CapturingClient> {
    const c = new CapturingClient(kafka, { client: {}, replyPartition: 0, ...options });
    open.push(c);
    c.subscribeToResponseOf('orders');
    await c.connect();
    return c;
  }

  async function server(options: Partial<ServerRdKafkaOptions> = {}): Promise<CapturingServer> {
    const s = new CapturingServer(kafka, { client: {}, closeTimeoutMs: 500, ...options });
    open.push(s);
    s.addHandler('orders', async () => 'ok', false);
    await listen(s);
    return s;
  }

  it("ClientRdKafka's producer (requests) runs with linger.ms 1, not librdkafka's 5", async () => {
    const c = await client();
    expect(c.producerConfigs).toHaveLength(1);
    expect(c.producerConfigs[0]!['linger.ms']).toBe(1);
  });

  it("ServerRdKafka's producer (replies) runs with linger.ms 1 and never creates topics", async () => {
    const s = await server();
    expect(s.producerConfigs[0]).toMatchObject({ 'linger.ms': 1, 'allow.auto.create.topics': false });
  });

  it("the user's linger.ms wins on both sides (the latency opt-in: 0)", async () => {
    const c = await client({ producer: { 'linger.ms': 0 } });
    const s = await server({ producer: { 'linger.ms': 0 } });
    expect(c.producerConfigs[0]!['linger.ms']).toBe(0);
    expect(s.producerConfigs[0]!['linger.ms']).toBe(0);
  });
});
