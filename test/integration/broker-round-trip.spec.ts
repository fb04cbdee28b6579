import { createRequire } from 'node:module';
import type * as RdKafka from 'node-rdkafka';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';

const require = createRequire(import.meta.url);
const Kafka = require('node-rdkafka') as typeof RdKafka;

const PARTITIONS = 3;
const COUNT = 1000;

function createTopic(topic: string): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': bootstrapServers() });
  return new Promise<void>((resolve, reject) => {
    admin.createTopic({ topic, num_partitions: PARTITIONS, replication_factor: 1 }, 10_000, (err) => {
      admin.disconnect();
      if (err) reject(err);
      else resolve();
    });
  });
}

function produceAll(topic: string): Promise<void> {
  const producer = new Kafka.Producer({ 'bootstrap.servers': bootstrapServers(), dr_cb: true, 'linger.ms': 5 });
  return new Promise<void>((resolve, reject) => {
    let delivered = 0;
    producer.on('delivery-report', (err) => {
      if (err) return reject(err);
      if (++delivered === COUNT) producer.disconnect(() => resolve());
    });
    producer.setPollInterval(10);
    producer.connect({}, (err) => {
      if (err) return reject(err);
      for (let i = 0; i < COUNT; i++) {
        producer.produce(topic, null, Buffer.from(String(i)), `key-${i % 17}`);
      }
    });
  });
}

function consumeAll(topic: string): Promise<RdKafka.Message[]> {
  const consumer = new Kafka.KafkaConsumer(
    { 'bootstrap.servers': bootstrapServers(), 'group.id': uniqueTopic('group'), 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  const got: RdKafka.Message[] = [];
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`only ${got.length} of ${COUNT} messages consumed`)), 60_000);
    consumer.on('data', (m) => {
      got.push(m);
      if (got.length === COUNT) {
        clearTimeout(deadline);
        // Give a duplicate (which would be a bug) a moment to show up before closing.
        setTimeout(() => consumer.disconnect(() => resolve(got)), 500);
      }
    });
    consumer.connect({}, (err) => {
      if (err) return reject(err);
      consumer.subscribe([topic]);
      consumer.consume();
    });
  });
}

describe('embedded broker round trip', () => {
  it('consumes exactly the 1,000 keyed messages produced to a 3-partition topic, in order per partition', async () => {
    const topic = uniqueTopic('round-trip');
    await createTopic(topic);
    await produceAll(topic);
    const messages = await consumeAll(topic);

    expect(messages).toHaveLength(COUNT);
    const values = messages.map((m) => Number(m.value!.toString()));
    expect(new Set(values).size).toBe(COUNT);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(COUNT - 1);

    const partitions = new Set(messages.map((m) => m.partition));
    expect(partitions.size).toBe(PARTITIONS);
    for (const p of partitions) {
      const inPartition = messages.filter((m) => m.partition === p);
      // Offsets are consecutive from 0 and values rise with them: the order they were produced in.
      expect(inPartition.map((m) => m.offset)).toEqual(inPartition.map((_, i) => i));
      const vals = inPartition.map((m) => Number(m.value!.toString()));
      expect(vals).toEqual([...vals].sort((a, b) => a - b));
      // One key always lands on one partition.
      for (const m of inPartition) {
        const samePartition = messages.filter((o) => o.key!.toString() === m.key!.toString()).every((o) => o.partition === p);
        expect(samePartition).toBe(true);
      }
    }
  });
});
