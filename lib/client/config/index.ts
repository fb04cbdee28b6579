export type {
  ClientCallbacks,
  ClientConfig,
  ConsumerConfig,
  KafkaLogger,
  ProducerConfig,
  UnknownProperties,
  UnknownPropertiesOption,
} from './client-config.interface.js';
export {
  TOPIC_PROPERTIES,
  type LibrdKafkaBoolean,
  type LibrdKafkaConsumerProperties,
  type LibrdKafkaEnum,
  type LibrdKafkaGlobalProperties,
  type LibrdKafkaNumber,
  type LibrdKafkaProducerProperties,
} from './librdkafka-properties.js';
export { withUnknownProperties } from './merge-unknown-properties.js';
export { splitConfig, type NativeValue, type SplitConfig } from './split-config.js';
