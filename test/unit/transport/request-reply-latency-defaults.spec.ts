import type { ConsumerConfig, ProducerConfig } from '../../../lib/client/config/index.js';
import type { Consumer } from '../../../lib/client/consumer.js';
import type { Producer } from '../../../lib/client/producer.js';
import { FakeKafka, TestClientRdKafka, TestServerRdKafka } from '../../../lib/testing/index.js';
import type { ClientRdKafkaOptions } from '../../../lib/transport/client/client-rdkafka.options.js';
import type { ServerRdKafkaOptions } from '../../../lib/transport/server/server-rdkafka.options.js';
import { TRANSPORT_COALESCING, transportCoalescing } from '../../../lib/transport/server/server-rdkafka.options.js';

// Why these defaults are pinned: every millisecond of producer linger is paid twice per request (the request
// and its reply). librdkafka's own default (5 ms) gave a 13 ms p50 at concurrency 1, and 1 ms about 3.5-4 ms
// against 1.0-1.2 ms with 0 (bench/scenarios/request-reply.mjs, docs/benchmarks.md). Batching under load comes
// from the transport's coalescing instead, which must stay on unless the user sets the linger.

class CapturingClient extends TestClientRdKafka {
  readonly producerConfigs: ProducerConfig[] = [];
  readonly consumerConfigs: ConsumerConfig[] = [];
  protected override createProducer(config: ProducerConfig): Producer {
    this.producerConfigs.push(config);
    return super.createProducer(config);
  }
  protected override createConsumer(config: ConsumerConfig): Consumer {
    this.consumerConfigs.push(config);
    return super.createConsumer(config);
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

describe('request-reply latency defaults', () => {
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

  it("ClientRdKafka's producer (requests) runs with linger.ms 0", async () => {
    const c = await client();
    expect(c.producerConfigs).toHaveLength(1);
    // The sticky window librdkafka derived from linger.ms 1 before: keyless requests of a burst share a partition.
    expect(c.producerConfigs[0]).toMatchObject({ 'linger.ms': 0, 'sticky.partitioning.linger.ms': 2 });
  });

  it("ServerRdKafka's producer (replies) runs with linger.ms 0 and still never creates topics", async () => {
    const s = await server();
    expect(s.producerConfigs[0]).toMatchObject({ 'linger.ms': 0, 'sticky.partitioning.linger.ms': 2, 'allow.auto.create.topics': false });
  });

  it("the user's linger.ms wins on both sides", async () => {
    const c = await client({ producer: { 'linger.ms': 5 } });
    const s = await server({ producer: { 'linger.ms': 7 } });
    expect(c.producerConfigs[0]!['linger.ms']).toBe(5);
    expect(s.producerConfigs[0]!['linger.ms']).toBe(7);
    // librdkafka derives the sticky window from the user's linger again.
    expect(c.producerConfigs[0]!['sticky.partitioning.linger.ms']).toBeUndefined();
    expect(s.producerConfigs[0]!['sticky.partitioning.linger.ms']).toBeUndefined();
  });

  it('coalescing under load is on by default and off once the user sets the linger (either name)', () => {
    expect(transportCoalescing({}, undefined)).toBe(TRANSPORT_COALESCING);
    // At concurrency 1 a request finds at most the one before it in flight (its report is served on a poll):
    // holding from 1 in flight would put a wait back on every request.
    expect(TRANSPORT_COALESCING.busyAt).toBeGreaterThanOrEqual(2);
    expect(transportCoalescing({ 'linger.ms': 0 }, undefined)).toBeNull();
    expect(transportCoalescing({}, { 'queue.buffering.max.ms': 2 })).toBeNull();
  });
});
