import { createRequire } from 'node:module';
import type * as RdKafka from 'node-rdkafka';
import { bootstrapServers } from './kafka-env.js';

const require = createRequire(import.meta.url);
const Kafka = require('node-rdkafka') as typeof RdKafka;

/** Creates topics (ignoring ones that exist) so consumers can subscribe before anything is produced. */
export async function createTopics(topics: string[], partitions = 1): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': bootstrapServers() });
  try {
    await Promise.all(topics.map((topic) => new Promise<void>((resolve, reject) => {
      admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1 }, 10_000, (err) => {
        if (err && !/already exists/i.test(err.message)) reject(err);
        else resolve();
      });
    })));
  } finally {
    admin.disconnect();
  }
}

/** Waits until `check()` is true, polling every 50 ms; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
