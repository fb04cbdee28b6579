export { decodeKafkaValue, encodeKafkaValue, type RdKafkaHeadersInit, toHeaderList } from './kafka-value.codec.js';
export { type ParseWarning, type RdKafkaParsedMessage, RdKafkaParser, type RdKafkaParserOptions } from './rdkafka.parser.js';
export {
  isRecordInit,
  type OutgoingRecord,
  type RdKafkaRecordInit,
  type RdKafkaRecordSerializer,
  RdKafkaRequestSerializer,
  type TopicSerializers,
} from './rdkafka-request.serializer.js';
export { type RdKafkaHandlerSerdesExtras, type TopicDeserializers } from './topic-deserializers.js';
