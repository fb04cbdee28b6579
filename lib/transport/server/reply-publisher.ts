import type { LoggerService } from '@nestjs/common';
import type { WritePacket } from '@nestjs/microservices';
import type { MessageHeader } from '../../client/message.js';
import type { Producer } from '../../client/producer.js';
import { ErrorCode, KafkaException } from '../../errors/index.js';
import { ReplyNotSentError } from '../errors/index.js';
import { DISPOSED_HEADER_VALUE, KafkaHeaders } from '../kafka-headers.enum.js';
import { produceWithBackpressure } from '../produce-with-backpressure.js';
import type { RdKafkaRecordSerializer } from '../serdes/rdkafka-request.serializer.js';
import { within } from './deadline.js';
import type { ReplyAddress } from './reply-address.js';
import { ReplyTopics } from './reply-topics.js';

/** What the publisher needs of the server's producer (a seam for unit tests). @internal */
export type ReplyProducer = Pick<Producer, 'produceAsync' | 'poll' | 'listTopics'>;

/** @internal */
export interface ReplyPublisherOptions {
  serializer: RdKafkaRecordSerializer;
  logger: LoggerService;
  /** How long one reply may take from serializing to its delivery report (`replyTimeoutMs`). */
  timeoutMs: number;
}

const CTX = 'ServerRdKafka';
/** A reply topic's metadata lookup waits at most this long (or `timeoutMs` when shorter). */
const LOOKUP_TIMEOUT_MS = 5000;

/** Failures after which no error reply is tried: it could not reach the caller either. */
const NO_ERROR_REPLY = new Set<number>([
  ErrorCode._MSG_TIMED_OUT,
  ErrorCode._TIMED_OUT,
  ErrorCode.UNKNOWN_TOPIC_OR_PART,
  ErrorCode._UNKNOWN_TOPIC,
  ErrorCode._DESTROY,
  ErrorCode._STATE,
  ErrorCode.TOPIC_AUTHORIZATION_FAILED,
]);

/**
 * Writes the replies of a request the way Nest's `ServerKafka` does: one record per packet to the reply topic
 * and partition, `kafka_correlationId` on each, `kafka_nest-err` (JSON for objects, the record's value null)
 * on an error, `kafka_nest-is-disposed` on the last. Unlike Nest it checks the address before the handler runs
 * (see `admit`), bounds each reply by `replyTimeoutMs`, and when a reply cannot go it sends the caller an error
 * reply in its place; every reply that could not be sent is logged with its correlation id and request.
 * @internal
 */
export class ReplyPublisher {
  private readonly topics: ReplyTopics;

  constructor(
    private readonly producer: () => ReplyProducer,
    private readonly o: ReplyPublisherOptions,
  ) {
    this.topics = new ReplyTopics((topic, ms) => this.producer().listTopics(topic, ms), Math.min(LOOKUP_TIMEOUT_MS, o.timeoutMs));
  }

  /**
   * Whether a request's handler may run: its address must be legal, its topic one the cluster has and its
   * partition one of the topic's (never created by a reply). A refused request is logged, and answered with an
   * error reply where its topic can take one. When the lookup itself fails the handler runs and the reply is
   * tried (bounded by `replyTimeoutMs`).
   * @returns true, synchronously when the topic's metadata is cached
   */
  admit(to: ReplyAddress): boolean | Promise<boolean> {
    if (to.problem === null) {
      const known = this.topics.cached(to.topic);
      if (known === undefined) return this.topics.partitions(to.topic).then((n) => this.fits(to, n) || this.refuse(to));
      if (this.fits(to, known)) return true;
    }
    return this.refuse(to);
  }

  /**
   * Sends one reply packet; never rejects. After a failed reply (or an error reply in its place) later packets
   * of the request are dropped, so a caller never sees a reply after its stream ended.
   */
  async publish(packet: WritePacket, to: ReplyAddress): Promise<void> {
    if (to.ended) return;
    if (packet.isDisposed) to.ended = true;
    try {
      await within(
        this.send(packet, to),
        this.o.timeoutMs,
        () => new KafkaException(ErrorCode._MSG_TIMED_OUT, `no delivery report within replyTimeoutMs (${this.o.timeoutMs} ms)`),
      );
    } catch (err) {
      const code = err instanceof KafkaException ? err.code : undefined;
      if (code === ErrorCode.UNKNOWN_TOPIC_OR_PART || code === ErrorCode._UNKNOWN_TOPIC || code === ErrorCode._UNKNOWN_PARTITION)
        this.topics.forget(to.topic);
      const reason = err instanceof ReplyNotSentError ? err.reason : String(err);
      const error = new ReplyNotSentError(to.correlationId, to.shownTopic, to.shownPartition, reason, { cause: err });
      // An unknown partition still leaves the topic: the error reply goes where the partitioner puts it.
      const partition = code === ErrorCode._UNKNOWN_PARTITION ? undefined : to.partition;
      await this.fail(to, error, code === undefined || !NO_ERROR_REPLY.has(code), partition);
    }
  }

  /** Sets `to.problem` when the topic is missing or lacks the partition; an unknown count lets it through. */
  private fits(to: ReplyAddress, partitions: number | undefined): boolean {
    if (partitions === undefined) return true;
    if (partitions === 0) {
      to.problem = 'the reply topic does not exist (a reply never creates a topic)';
      to.topicUsable = false;
    } else if (to.partition !== undefined && to.partition >= partitions) {
      to.problem = `reply partition ${to.partition} does not exist (the topic has ${partitions})`;
    } else return true;
    return false;
  }

  private async refuse(to: ReplyAddress): Promise<false> {
    const error = new ReplyNotSentError(to.correlationId, to.shownTopic, to.shownPartition, `${to.problem}; the handler did not run`);
    await this.fail(to, error, to.topicUsable, undefined);
    return false;
  }

  /**
   * Ends a request whose reply cannot go: an error reply when `errorReply` (itself bounded by `replyTimeoutMs`),
   * then one log line saying what the caller sees. The record is committed as usual: the handler ran (or must
   * not run), and running it again would not make a reply to this address go.
   */
  private async fail(to: ReplyAddress, error: ReplyNotSentError, errorReply: boolean, partition: number | undefined): Promise<void> {
    to.ended = true;
    let outcome = 'no error reply can reach the caller; it gets none and times out';
    if (errorReply) {
      const packet: WritePacket = { err: { status: 'error', message: error.message }, isDisposed: true };
      try {
        await within(
          this.produce(null, to, packet, partition),
          this.o.timeoutMs,
          () => new KafkaException(ErrorCode._MSG_TIMED_OUT, `no delivery report within replyTimeoutMs (${this.o.timeoutMs} ms)`),
        );
        outcome = 'the caller got an error reply';
      } catch (e) {
        outcome = `the error reply failed too (${String(e)}); the caller gets none and times out`;
      }
    }
    this.o.logger.error(
      `${error.message} (request ${to.request.topic}[${to.request.partition}]@${to.request.offset}); ${outcome}`,
      undefined,
      CTX,
    );
  }

  private async send(packet: WritePacket, to: ReplyAddress): Promise<void> {
    let record;
    try {
      record = await this.o.serializer.serialize(packet.response, { pattern: to.topic });
    } catch (err) {
      throw new ReplyNotSentError(to.correlationId, to.shownTopic, to.shownPartition, `the serializer failed: ${String(err)}`, {
        cause: err,
      });
    }
    await this.produce(record, to, packet, to.partition ?? record.partition);
  }

  private async produce(
    record: { value: Buffer | null; key: Buffer | null; headers: MessageHeader[]; timestamp?: number } | null,
    to: ReplyAddress,
    packet: WritePacket,
    partition: number | undefined,
  ): Promise<void> {
    const headers: MessageHeader[] = record ? [...record.headers] : [];
    headers.push([KafkaHeaders.CORRELATION_ID, Buffer.from(to.correlationId)]);
    if (packet.err !== undefined && packet.err !== null) headers.push([KafkaHeaders.NEST_ERR, Buffer.from(errorText(packet.err))]);
    if (packet.isDisposed) headers.push([KafkaHeaders.NEST_IS_DISPOSED, Buffer.from(DISPOSED_HEADER_VALUE)]);
    await produceWithBackpressure(this.producer(), to.topic, {
      value: record?.value ?? null,
      key: record?.key ?? null,
      headers,
      partition,
      timestamp: record?.timestamp,
    });
  }
}

/** Nest: objects as JSON, anything else as its string. */
function errorText(err: unknown): string {
  if (typeof err === 'object') {
    if (err instanceof Error) return JSON.stringify({ status: 'error', message: err.message });
    return JSON.stringify(err);
  }
  return String(err);
}
