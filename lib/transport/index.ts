export * from './client/index.js';
export * from './context/index.js';
export * from './errors/index.js';
export { KafkaHeaders } from './kafka-headers.enum.js';
export { RdKafkaStatus } from './rdkafka-status.enum.js';
export * from './server/index.js';
export {
  type OutgoingRecord,
  type RdKafkaHeadersInit,
  type RdKafkaParsedMessage,
  type RdKafkaRecordInit,
  type RdKafkaRecordSerializer,
  RdKafkaRequestSerializer,
} from './serdes/index.js';
