import { DeserializedMessage } from '../serializing/deserialized-message.js';

/**
 * A consumed message with its key and value decoded from Avro (what confluent_kafka.avro's `AvroConsumer`
 * returns). The same class as `DeserializedMessage`: `AvroConsumer` is a `DeserializingConsumer` with Avro
 * deserializers, so one message type serves both.
 * @publicApi
 */
export const AvroMessage = DeserializedMessage;
/** @publicApi */
export type AvroMessage<K = unknown, V = unknown> = DeserializedMessage<K, V>;
