import type { LoggerService } from '@nestjs/common';
import type { Consumer } from '../../client/consumer.js';
import { isUnreadableRecord } from '../../client/native-convert.js';
import type { Producer } from '../../client/producer.js';
import { TopicPartition } from '../../client/topic-partition.js';
import type { RdKafkaParser } from '../serdes/rdkafka.parser.js';
import type { ReplyRouter } from './reply-router.js';

const CTX = 'ClientRdKafka';
/** Metadata for a reply topic that the broker is still creating is retried this often. */
const METADATA_ATTEMPTS = 20;

/**
 * The reply path of one client instance.
 *
 * Why manual assignment and no group: Nest's `ClientKafka` joins a consumer group on its reply topics and relies
 * on a custom kafkajs assignor to keep each member on "its" reply partition. librdkafka cannot run that assignor,
 * and with a standard one a rebalance moves partitions between instances, so replies in flight land on a
 * partition whose new owner drops them (unknown ids) while the requester waits: lost replies. Instead each
 * instance `assign()`s one partition per reply topic by itself (no group membership, no rebalance can take it)
 * starting at the partition's current end, and filters replies by correlation id, so instances sharing a
 * partition (more instances than partitions) ignore each other's replies: none lost, none crossed.
 * @internal
 */
export class ReplyConsumer {
  private readonly assigned = new Map<string, Promise<number>>();
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly consumer: Consumer,
    private readonly producer: Producer,
    private readonly router: ReplyRouter,
    private readonly parser: RdKafkaParser,
    private readonly logger: LoggerService,
    private readonly fixedPartition: number | undefined,
  ) {}

  /**
   * Makes sure this instance reads a partition of `topic` from before any request is sent.
   * @returns the partition to put in `kafka_replyPartition`
   */
  ensure(topic: string): Promise<number> {
    let p = this.assigned.get(topic);
    if (!p) {
      p = this.assign(topic);
      this.assigned.set(topic, p);
      p.catch(() => this.assigned.delete(topic));
    }
    return p;
  }

  private async assign(topic: string): Promise<number> {
    const count = await this.partitionCount(topic);
    const partition = this.fixedPartition ?? Math.floor(Math.random() * count);
    // Start at the end as it is now (asked from the leader), not at OFFSET_END: OFFSET_END is resolved at the
    // first fetch, after which a reply produced in between would be skipped.
    const [, high] = await this.consumer.getWatermarkOffsets({ topic, partition }, { timeoutMs: 10_000 });
    // Incremental: the partitions already assigned keep their positions (a full assign() would reset them).
    this.consumer.incrementalAssign([new TopicPartition(topic, partition, high)]);
    this.start();
    return partition;
  }

  /** Producer metadata requests create the topic where the broker allows it; a new topic needs a moment. */
  private async partitionCount(topic: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const md = await this.producer.listTopics(topic, 5000);
        const t = md.topics.get(topic);
        const n = t?.partitions.size ?? 0;
        if (n > 0 && !t?.error) return n;
      } catch (err) {
        if (attempt >= METADATA_ATTEMPTS) throw err;
      }
      if (attempt >= METADATA_ATTEMPTS) throw new Error(`Reply topic ${topic} does not exist and could not be created`);
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const batch = await this.consumer.consumeBatch(100, 100);
        for (const m of batch) {
          if (m.error) {
            // A reply that could not be read (its error names the place): its request times out, nothing else.
            if (isUnreadableRecord(m))
              this.logger.error(`Could not read reply ${m.topic}[${m.partition}]@${m.offset}: ${m.error.toString()}`, undefined, CTX);
            continue;
          }
          try {
            this.router.route(await this.parser.parse(m));
          } catch (err) {
            this.logger.error(`Could not decode reply ${m.topic}[${m.partition}]@${m.offset}: ${String(err)}`, undefined, CTX);
          }
        }
      } catch (err) {
        if (!this.running) break;
        this.logger.error(`Reply consumer failed: ${String(err)}`, undefined, CTX);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Stops the loop (the caller closes the consumer). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
