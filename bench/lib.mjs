// Shared bench helpers: the broker address, topics, stats, Nest apps built without decorator syntax.
import { createRequire } from 'node:module';
import { Controller, Module } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';

const require = createRequire(import.meta.url);
export const Kafka = require('node-rdkafka');

export const bootstrap = () => process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:39092';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const uid = () => Math.random().toString(36).slice(2, 10);

export function createTopic(topic, partitions = 3) {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': bootstrap() });
  return new Promise((resolve, reject) => {
    admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1 }, 15_000, (err) => {
      admin.disconnect();
      if (err && !/already exists/i.test(err.message)) reject(err);
      else resolve();
    });
  });
}

/** Fills a topic with `count` JSON values of about `size` bytes, with raw node-rdkafka. */
export async function prefill(topic, count, size = 100) {
  const p = new Kafka.Producer({ 'bootstrap.servers': bootstrap(), 'linger.ms': 20, 'batch.num.messages': 10000, dr_cb: true });
  await new Promise((r, j) => p.connect({}, (e) => (e ? j(e) : r())));
  p.setPollInterval(10);
  let reported = 0;
  p.on('delivery-report', () => {
    reported++;
  });
  const pad = 'x'.repeat(Math.max(0, size - 30));
  for (let i = 0; i < count; i++) {
    for (;;) {
      try {
        p.produce(topic, null, Buffer.from(JSON.stringify({ i, pad })), `k${i % 64}`);
        break;
      } catch {
        await sleep(5);
      }
    }
  }
  while (reported < count) await sleep(20);
  await new Promise((r) => p.disconnect(r));
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A Nest module with one controller whose method `handler` is an @EventPattern or @MessagePattern. */
export function nestModule(pattern, handler, kind = 'event') {
  class BenchController {}
  BenchController.prototype.handle = handler;
  // 'batch': an event handler taking batches with the default bounds (it gets arrays of payloads).
  const decorate =
    kind === 'event' ? EventPattern(pattern) : kind === 'batch' ? EventPattern(pattern, { batch: true }) : MessagePattern(pattern);
  decorate(BenchController.prototype, 'handle', Object.getOwnPropertyDescriptor(BenchController.prototype, 'handle'));
  Controller()(BenchController);
  class BenchModule {}
  Module({ controllers: [BenchController] })(BenchModule);
  return BenchModule;
}

/** Prints one result line the orchestrator reads. */
export function report(result) {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
