import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { RdKafkaAdminService, settleResults } from '../../../lib/admin/index.js';
import { bootstrapServers } from '../helpers/kafka-env.js';

// The sample reads its topic prefix when imported: unique per run, so runs and other specs never share topics.
const PREFIX = `e2e-${randomUUID().slice(0, 8)}-`;
process.env.SAMPLE_TOPIC_PREFIX = PREFIX;
process.env.KAFKA_BOOTSTRAP_SERVERS = bootstrapServers();
const SOURCES = ['orders.created', 'payments.authorize', 'payments.captured', 'payments.receipts'];
// Dead-letter topics are provisioned with their source topics (not for the reply topic).
const TOPICS = [...SOURCES, ...SOURCES.map((t) => `${t}.dlt`), 'payments.authorize.reply'].map((t) => PREFIX + t);

interface PlaceResult {
  order: { id: string; item: string; amount: number; status: string } | null;
  payment: { orderId: string; approved: boolean; reason?: string };
  event?: { topic: string; partition: number; offset: number };
}

describe('the sample shop over HTTP (real broker)', () => {
  let app: INestApplication;
  let base: string;

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  beforeAll(async () => {
    const { createSampleApp } = await import('../../../sample/bootstrap.js');
    app = await createSampleApp(['error', 'warn']);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    const admin = new RdKafkaAdminService({ 'bootstrap.servers': bootstrapServers() });
    await settleResults(admin.deleteTopics(TOPICS));
    await admin.close();
  });

  it('places an order: payment authorized by request-reply, order-created event delivered, paid once the capture event is back', async () => {
    const placed = await call<PlaceResult>('POST', '/orders', { item: 'book', amount: 25 });
    expect(placed.status).toBe(201);
    expect(placed.body.payment).toEqual({ orderId: placed.body.order!.id, approved: true });
    expect(placed.body.event).toMatchObject({ topic: `${PREFIX}orders.created`, offset: expect.any(Number) });
    const id = placed.body.order!.id;
    const deadline = Date.now() + 20_000;
    let status = placed.body.order!.status;
    while (status !== 'paid' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await call<{ status: string }>('GET', `/orders/${id}`)).body.status;
    }
    expect(status).toBe('paid');
  });

  it('publishes an Avro receipt through the Schema Registry for a paid order and lists it decoded', async () => {
    expect(process.env.SCHEMA_REGISTRY_URL).toBeDefined();
    const placed = await call<PlaceResult>('POST', '/orders', { item: 'lamp', amount: 40 });
    const id = placed.body.order!.id;
    type Listed = { orderId: string; amount: number; capturedAt: number; schemaId: number };
    const deadline = Date.now() + 20_000;
    let mine: Listed | undefined;
    while (!mine && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      mine = (await call<Listed[]>('GET', '/receipts')).body.find((r) => r.orderId === id);
    }
    expect(mine).toMatchObject({ orderId: id, amount: 40, schemaId: expect.any(Number) });
    expect(mine!.capturedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('declines an amount over the limit through the payment service, and rejects a bad body with 400', async () => {
    const declined = await call<PlaceResult>('POST', '/orders', { item: 'car', amount: 5000 });
    expect(declined.body).toMatchObject({ order: null, payment: { approved: false, reason: 'amount above 1000' } });
    expect((await call('POST', '/orders', { item: 'x' })).status).toBe(400);
    expect((await call('GET', `/orders/${randomUUID()}`)).status).toBe(404);
  });

  it('lists the provisioned topics and the consumer groups through the admin service', async () => {
    const topics = await call<{ name: string; partitions: number }[]>('GET', '/admin/topics');
    expect(topics.body).toEqual(
      expect.arrayContaining([
        { name: `${PREFIX}orders.created`, partitions: 3 },
        { name: `${PREFIX}payments.authorize`, partitions: 1 },
        { name: `${PREFIX}payments.authorize.reply`, partitions: 1 },
        { name: `${PREFIX}payments.captured`, partitions: 1 },
        { name: `${PREFIX}orders.created.dlt`, partitions: 3 },
      ]),
    );
    expect(topics.body.map((t) => t.name)).not.toContain(`${PREFIX}payments.authorize.reply.dlt`);
    const groups = await call<{ groupId: string; state: string; type: string }[]>('GET', '/admin/groups');
    // The sample's consumers use the classic protocol (librdkafka's default group.protocol).
    expect(groups.body).toEqual(
      expect.arrayContaining([{ groupId: `${PREFIX}sample-shop-server`, state: 'STABLE', type: 'CLASSIC', protocolType: 'consumer' }]),
    );
  });

  it('replays a dead-letter topic through POST /admin/dead-letters/:topic/replay', async () => {
    const replay = await call<unknown>('POST', `/admin/dead-letters/${PREFIX}orders.created.dlt/replay?max=10`);
    expect(replay).toEqual({ status: 201, body: { replayed: 0, passedOver: 0, failed: [], complete: true } });
  });

  it('answers GET /health with the Kafka indicator up', async () => {
    const health = await call<{ status: string; details: { kafka: { status: string; consumer: { assigned: number } } } }>('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    // orders.created (3 partitions), payments.authorize, payments.captured, payments.receipts (1 each).
    expect(health.body.details.kafka.consumer.assigned).toBe(6);
  });

  it('serves GET /metrics in Prometheus text with the handled events and the request-reply latency of the order above', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const value = (series: string): number =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.split(' ')[1],
      );
    expect(value(`nestrdkafka_records_handled_total{topic="${PREFIX}orders.created",outcome="success"}`)).toBeGreaterThanOrEqual(1);
    expect(
      value(`nestrdkafka_request_duration_seconds_count{topic="${PREFIX}payments.authorize",outcome="success"}`),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE nestrdkafka_handler_duration_seconds histogram');
  });
});
