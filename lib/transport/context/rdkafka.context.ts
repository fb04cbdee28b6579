import { BaseRpcContext } from '@nestjs/microservices';
import type { Consumer } from '../../client/consumer.js';
import type { Message } from '../../client/message.js';
import type { Producer } from '../../client/producer.js';
import type { RdKafkaParsedMessage } from '../serdes/rdkafka.parser.js';

/**
 * What a context can ask the server to do for its record's partition. The server implements it so that
 * manual commits and seeks stay consistent with its own offset bookkeeping. Public because a context's
 * constructor takes it: a unit test of a handler builds its own context with stubbed controls.
 */
export interface RdKafkaContextControls {
  /** Commits this record (offset + 1) synchronously. */
  commit(): Promise<void>;
  /** Moves the partition's fetch position; queued records of the partition are dropped. */
  seek(offset: number): Promise<void>;
  /** Pauses fetching from the partition. */
  pause(): void;
  /** Resumes fetching from the partition. */
  resume(): void;
}

/** What a context is built from (the server builds it; a handler's unit test may build one too). */
export type RdKafkaContextArgs = [
  message: RdKafkaParsedMessage,
  raw: Message,
  consumer: Consumer,
  producer: Producer,
  controls: RdKafkaContextControls,
];

/**
 * The context of a record handled by `ServerRdKafka`, injected with `@Ctx()`: the parsed and raw record, the
 * consumer and producer, and manual commit, seek, pause and resume of the record's partition.
 * @publicApi
 */
export class RdKafkaContext extends BaseRpcContext<RdKafkaContextArgs> {
  /** @param args built by the server */
  constructor(args: RdKafkaContextArgs) {
    super(args);
  }

  /** The record decoded like Nest's KafkaParser (`value`, `key`, `headers` by name, `offset`, `timestamp`). */
  getMessage(): RdKafkaParsedMessage {
    return this.args[0];
  }
  /** The record as consumed: Buffers, headers as `[name, Buffer]` pairs. */
  getRawMessage(): Message {
    return this.args[1];
  }
  getTopic(): string {
    return this.args[1].topic;
  }
  getPartition(): number {
    return this.args[1].partition;
  }
  getOffset(): number {
    return this.args[1].offset;
  }
  /** The decoded key (`getRawMessage().key` for the bytes). */
  getKey(): unknown {
    return this.args[0].key;
  }
  /** Decoded headers by name. */
  getHeaders(): Record<string, unknown> {
    return this.args[0].headers;
  }
  /** ms since the epoch, -1 when unknown. */
  getTimestamp(): number {
    return this.args[0].timestamp;
  }
  /**
   * The server's consumer (share it with care: the server polls it). Takes the calls Nest's docs make on
   * `KafkaContext.getConsumer()`: `commitOffsets([{ topic, partition, offset }])`, `pause([{ topic }])`,
   * `resume([{ topic }])`, with kafkajs' meaning.
   */
  getConsumer(): Consumer {
    return this.args[2];
  }
  /** The server's producer (the one replies go through). */
  getProducer(): Producer {
    return this.args[3];
  }

  /**
   * Nest's `KafkaContext.getHeartbeat()`, for handler code written against it. librdkafka sends heartbeats
   * from its own thread whatever the handler does, so the function has nothing to do.
   * @returns a function resolving at once
   */
  getHeartbeat(): () => Promise<void> {
    return heartbeat;
  }

  /**
   * Commits this record's offset + 1 now (the way to acknowledge with `manualCommit: true`). In the default
   * mode the server commits on its own once the handler finishes.
   * @throws KafkaException when the commit fails (e.g. the partition was revoked)
   */
  commit(): Promise<void> {
    return this.args[4].commit();
  }

  /**
   * Moves the partition to `offset`: fetching restarts there after the current handler; records of the
   * partition already fetched but not started are dropped.
   * @param offset an absolute offset or `OFFSET_BEGINNING`/`OFFSET_END`
   */
  seek(offset: number): Promise<void> {
    return this.args[4].seek(offset);
  }

  /** Stops fetching from this record's partition until `resume()`. */
  pause(): void {
    this.args[4].pause();
  }

  /** Resumes fetching from this record's partition (also after the `stop` error policy paused it). */
  resume(): void {
    this.args[4].resume();
  }
}

/** librdkafka heartbeats on its own; see RdKafkaContext.getHeartbeat. */
const heartbeat = (): Promise<void> => Promise.resolve();
