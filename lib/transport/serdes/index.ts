export type { RdKafkaHeadersInit } from './kafka-value.codec.js';
/** @internal the transport's own helpers, stripped from the published typings */
export { decodeKafkaValue, encodeKafkaValue, toHeaderList } from './kafka-value.codec.js';
export type { ParseWarning, RdKafkaParsedMessage, RdKafkaParserOptions } from './rdkafka.parser.js';
/** @internal */
export { RdKafkaParser } from './rdkafka.parser.js';
export {
  type OutgoingRecord,
  type RdKafkaRecordInit,
  type RdKafkaRecordSerializer,
  RdKafkaRequestSerializer,
  type TopicSerializers,
} from './rdkafka-request.serializer.js';
/** @internal */
export { isRecordInit } from './rdkafka-request.serializer.js';
export { type RdKafkaHandlerSerdesExtras, type TopicDeserializers } from './topic-deserializers.js';
