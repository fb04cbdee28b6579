import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RdKafkaModule } from 'nest-rdkafka';
import { AdminController } from './admin/admin.controller.js';
import { AppController } from './app.controller.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { OrdersModule } from './orders/orders.module.js';
import { PaymentsController } from './payments/payments.controller.js';
import { ReceiptsModule } from './receipts/receipts.module.js';
import { GROUP_ID, TOPICS } from './topics.js';

/** The Avro receipts topic needs a Schema Registry; `npm start` starts one when it can. */
const AVRO = Boolean(process.env.SCHEMA_REGISTRY_URL);

/**
 * A small shop on Kafka: orders (HTTP + events) and payments (request-reply + events) in one process, the admin
 * service behind /admin, a terminus health check and Prometheus metrics at /metrics. RdKafkaModule is global, so OrdersModule injects its
 * client and producer service too.
 */
@Module({
  imports: [
    TerminusModule,
    RdKafkaModule.forRoot({
      isGlobal: true,
      client: { 'bootstrap.servers': process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092', 'client.id': 'sample-shop' },
      consumer: { 'group.id': GROUP_ID },
      producer: { 'linger.ms': 2 },
      topics: [
        { name: TOPICS.orderCreated, numPartitions: 3, config: { 'retention.ms': String(7 * 24 * 3600 * 1000) } },
        { name: TOPICS.paymentsAuthorize, numPartitions: 1 },
        { name: `${TOPICS.paymentsAuthorize}.reply`, numPartitions: 1, failureTopics: false },
        { name: TOPICS.paymentCaptured, numPartitions: 1 },
        ...(AVRO ? [{ name: TOPICS.receipts, numPartitions: 1 }] : []),
      ],
      // A record still failing after two retries goes to <topic>.dlt (provisioned with its topic); replay it
      // with POST /admin/dead-letters/<topic>.dlt/replay once the cause is fixed.
      server: { concurrency: 4, errorPolicy: { mode: 'retry', retries: 2, then: 'dead-letter' }, deadLetter: {} },
      health: { stallTimeoutMs: 30_000 },
      // Transport and librdkafka metrics in prom-client's default registry, served at GET /metrics; also through
      // OpenTelemetry when an SDK is registered (the default openTelemetry: true).
      metrics: { prometheus: true },
    }),
    OrdersModule,
    ...(AVRO ? [ReceiptsModule] : []),
  ],
  controllers: [AppController, PaymentsController, AdminController, HealthController, MetricsController],
})
export class AppModule {}
