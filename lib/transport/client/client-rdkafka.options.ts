import type { LoggerService } from '@nestjs/common';
import type { ClientConfig, ConsumerConfig, ProducerConfig } from '../../client/config/index.js';
import type { Deserializer, Serializer } from '../../serdes/serializer.interface.js';
import type { RdKafkaRecordSerializer } from '../serdes/rdkafka-request.serializer.js';

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
  /** How long `send()` waits for a (next) reply before failing with `RequestTimeoutError`. @default 10000 */
  requestTimeoutMs?: number;
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
});
