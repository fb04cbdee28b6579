import type { LoggerService } from '@nestjs/common';
import type { ClientConfig, ConsumerConfig, ProducerConfig } from '../../client/config/index.js';
import type { Deserializer, Serializer } from '../../serdes/serializer.interface.js';
import type { RdKafkaRecordSerializer, TopicSerializers } from '../serdes/rdkafka-request.serializer.js';

/**
 * Options of `ClientRdKafka`. librdkafka properties keep their dotted names; our options are camelCase.
 * @publicApi
 */
export interface ClientRdKafkaOptions {
  /** librdkafka properties and callbacks shared by the producer and the reply consumer. */
  client: ClientConfig;
  /** Producer properties (requests and events). */
  producer?: Partial<ProducerConfig>;
  /**
   * Reply-consumer properties. Its `group.id` gets `postfixId` and a per-instance id appended: the reply
   * consumer never joins a group (see `ReplyConsumer`), the id only keeps instances apart.
   * @default { 'group.id': 'nest-rdkafka-group' }
   */
  consumer?: Partial<ConsumerConfig>;
  /** @default '-client' */
  postfixId?: string;
  /**
   * How long `send()` may take, connecting included, before it fails: with `RequestTimeoutError` when no (next)
   * reply came, with a `KafkaException` naming the servers and librdkafka's last error when the client could not
   * connect in time. Each later reply of a stream restarts it. @default 10000
   */
  requestTimeoutMs?: number;
  /**
   * How long `connect()` (and so the first `emit()`/`send()`) may take to reach the cluster, get its metadata and
   * prepare the reply topics; then it fails with a `KafkaException` saying what failed. @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * The reply partition this instance reads and asks for in `kafka_replyPartition`. Several instances may share
   * one: replies are matched by correlation id. @default a random partition of the reply topic
   */
  replyPartition?: number;
  /** Only produce (events): no reply consumer, `send()` fails. @default false */
  producerOnlyMode?: boolean;
  /** Shapes outgoing records; replaces the Nest-compatible default. */
  serializer?: RdKafkaRecordSerializer;
  /** Encodes values instead of the JSON rules (e.g. Avro). */
  valueSerializer?: Serializer;
  /** Encodes keys instead of the JSON rules. */
  keySerializer?: Serializer;
  /**
   * Serializers by pattern (the topic), for keys and values: `{ 'orders.avro': { value: avroSerializer } }`;
   * they win over `valueSerializer` / `keySerializer` for their topic.
   */
  serializers?: Readonly<Record<string, TopicSerializers>>;
  /** Decodes reply values instead of the JSON rules. */
  valueDeserializer?: Deserializer;
  /** Nest's parser option for replies. */
  parser?: { keepBinary?: boolean };
  /** Where the client and librdkafka log; each call passes its context (`ClientRdKafka`). @default new Logger() */
  logger?: LoggerService;
}

/** @internal */
export const CLIENT_DEFAULTS = Object.freeze({
  groupId: 'nest-rdkafka-group',
  postfixId: '-client',
  requestTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
});

/**
 * librdkafka producer defaults of `ClientRdKafka` and `RdKafkaProducerService`, under the user's properties.
 * `message.timeout.ms` 30 s instead of librdkafka's 300 s: it bounds how long an awaited `emit()` waits while no
 * broker takes the record, after which the record is dropped by librdkafka and `emit()` fails with
 * `_MSG_TIMED_OUT` and the reason (never delivered later behind the caller's back).
 * @internal
 */
export const CLIENT_PRODUCER_DEFAULTS = Object.freeze({ 'message.timeout.ms': 30_000 });
