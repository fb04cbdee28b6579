/**
 * The record headers of Nest's Kafka request-reply protocol (`@nestjs/microservices` `KafkaHeaders`, names taken
 * from Spring Kafka). Only these five take part in the protocol; the names must match byte for byte so that
 * Nest's `ClientKafka`/`ServerKafka` and ours understand each other.
 * @publicApi
 */
export const KafkaHeaders = Object.freeze({
  /** Request and every reply: the id the client matches replies with. */
  CORRELATION_ID: 'kafka_correlationId',
  /** Request: the topic replies go to (`<pattern>.reply`). */
  REPLY_TOPIC: 'kafka_replyTopic',
  /** Request: the partition of the reply topic, as a decimal string. */
  REPLY_PARTITION: 'kafka_replyPartition',
  /** Error reply: the error, JSON for objects; the record's value is null. */
  NEST_ERR: 'kafka_nest-err',
  /** Final reply of a stream. Only its presence counts. */
  NEST_IS_DISPOSED: 'kafka_nest-is-disposed',
} as const);
/** @publicApi */
export type KafkaHeaders = (typeof KafkaHeaders)[keyof typeof KafkaHeaders];

/**
 * The value we put in `kafka_nest-is-disposed`. Nest writes one zero byte, but node-rdkafka converts header
 * values to C strings (a NUL ends them, so an empty value would be sent); Nest only tests the header's presence.
 * @internal
 */
export const DISPOSED_HEADER_VALUE = '1';
