export { DeserializedMessage } from './deserialized-message.js';
export { type DeserializedCommitOptions, DeserializingConsumer, type DeserializingConsumerConfig } from './deserializing.consumer.js';
export type { DeserializerLike, SerializerLike } from './serde-functions.js';
export { type SerializingProduceRecord, SerializingProducer, type SerializingProducerConfig } from './serializing.producer.js';
