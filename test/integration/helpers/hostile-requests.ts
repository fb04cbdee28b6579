import { Kafka, logLevel, type Producer as KafkaJsProducer } from 'kafkajs';
import type * as RdKafka from 'node-rdkafka';
import { loadNative } from '../../../lib/client/native/index.js';
import { Producer } from '../../../lib/index.js';
import { bootstrapServers, uniqueTopic } from './kafka-env.js';
import { disconnectWithin } from './native-disconnect.js';

/** A reply as it arrived on the reply topic: its partition and headers as text. */
export interface TappedReply {
  partition: number;
  headers: Record<string, string>;
  valueBytes: number;
}

/**
 * Sends request records with any header bytes (NUL, not UTF-8, repeated names): kafkajs writes header values as
 * they are, where node-rdkafka would cut them at a NUL.
 */
export class RawRequester {
  private readonly producer: KafkaJsProducer;

  constructor() {
    const kafka = new Kafka({ brokers: bootstrapServers().split(','), clientId: uniqueTopic('raw-requester'), logLevel: logLevel.NOTHING });
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }
  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Produces one request with these headers (a value may be a list: the header is repeated). */
  async send(topic: string, value: unknown, headers: Record<string, string | Buffer | (string | Buffer)[]>): Promise<void> {
    await this.producer.send({ topic, messages: [{ value: JSON.stringify(value), headers }] });
  }
}

/** Collects every record of a reply topic's partitions (assigned, no group), by correlation id. */
export class ReplyTap {
  readonly byId = new Map<string, TappedReply[]>();
  private readonly consumer: RdKafka.KafkaConsumer;

  constructor() {
    this.consumer = new (loadNative().KafkaConsumer)(
      { 'bootstrap.servers': bootstrapServers(), 'group.id': uniqueTopic('tap'), 'enable.auto.commit': false },
      {},
    );
  }

  start(topic: string, partitions: number): Promise<void> {
    this.consumer.on('data', (m: RdKafka.Message) => {
      const headers: Record<string, string> = {};
      for (const h of m.headers ?? []) for (const [k, v] of Object.entries(h)) headers[k] = Buffer.from(v as Buffer).toString('utf8');
      const id = headers.kafka_correlationId ?? '';
      this.byId.set(id, [...(this.byId.get(id) ?? []), { partition: m.partition, headers, valueBytes: m.value?.length ?? 0 }]);
    });
    return new Promise((resolve, reject) =>
      this.consumer.connect({}, (err) => {
        if (err) return reject(err);
        this.consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition, offset: 0 })));
        this.consumer.consume();
        resolve();
      }),
    );
  }

  stop(): Promise<void> {
    return disconnectWithin(this.consumer, 'the raw reply-partition consumer');
  }
}

/** Every topic the cluster has (an all-topics metadata request never creates one). */
export async function clusterTopics(): Promise<Set<string>> {
  const producer = new Producer({ 'bootstrap.servers': bootstrapServers(), 'allow.auto.create.topics': false });
  await producer.connect();
  try {
    return new Set((await producer.listTopics(undefined, 10_000)).topics.keys());
  } finally {
    await producer.close(1000);
  }
}
