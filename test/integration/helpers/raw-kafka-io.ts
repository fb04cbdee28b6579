import type * as RdKafka from 'node-rdkafka';
import { loadNative } from '../../../lib/client/native/index.js';
import { bootstrapServers, uniqueTopic } from './kafka-env.js';
import { disconnectWithin } from './native-disconnect.js';

/** A record as bytes, before any deserializer. */
export interface RawRecord {
  key: Buffer | null;
  value: Buffer | null;
  offset: number;
}

/** Produces byte records with node-rdkafka directly and resolves once every one is delivered. */
export function produceRaw(topic: string, records: { key?: Buffer | null; value: Buffer | null }[]): Promise<void> {
  const producer = new (loadNative().Producer)({ 'bootstrap.servers': bootstrapServers(), dr_cb: true, 'linger.ms': 1 });
  return new Promise<void>((resolve, reject) => {
    let delivered = 0;
    const fail = (err: unknown) => producer.disconnect(() => reject(err));
    producer.on('delivery-report', (err) => {
      if (err) return fail(err);
      if (++delivered === records.length) producer.disconnect(() => resolve());
    });
    producer.setPollInterval(10);
    producer.connect({}, (err) => {
      if (err) return reject(err);
      try {
        // One partition and one produce order: offsets follow the array.
        for (const r of records) producer.produce(topic, 0, r.value, r.key ?? null);
      } catch (e) {
        fail(e);
      }
    });
  });
}

/** Consumes `count` records from the start of a topic with node-rdkafka directly, within `timeoutMs`. */
export function consumeRaw(topic: string, count: number, timeoutMs = 30_000): Promise<RawRecord[]> {
  const consumer = new (loadNative().KafkaConsumer)(
    { 'bootstrap.servers': bootstrapServers(), 'group.id': uniqueTopic('avro-group'), 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  const got: RawRecord[] = [];
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () =>
        void disconnectWithin(consumer, 'the raw consumer').then(() =>
          reject(new Error(`only ${got.length} of ${count} records consumed from ${topic}`)),
        ),
      timeoutMs,
    );
    consumer.on('data', (m: RdKafka.Message) => {
      got.push({ key: m.key ? Buffer.from(m.key as Buffer) : null, value: m.value, offset: m.offset });
      if (got.length === count) {
        clearTimeout(deadline);
        void disconnectWithin(consumer, 'the raw consumer').then(() => resolve(got.sort((a, b) => a.offset - b.offset)));
      }
    });
    consumer.connect({}, (err) => {
      if (err) return reject(err);
      consumer.subscribe([topic]);
      consumer.consume();
    });
  });
}
