export type {
  ClientCallbacks,
  ClientConfig,
  ConsumerConfig,
  KafkaLogger,
  ProducerConfig,
  UnknownProperties,
  UnknownPropertiesOption,
} from './client-config.interface.js';
/** @internal the client layer's own helpers, stripped from the published typings */
export { TOPIC_PROPERTIES } from './librdkafka-properties.js';
export {
  type LibrdKafkaBoolean,
  type LibrdKafkaConsumerProperties,
  type LibrdKafkaEnum,
  type LibrdKafkaGlobalProperties,
  type LibrdKafkaNumber,
  type LibrdKafkaProducerProperties,
} from './librdkafka-properties.js';
/** @internal the client layer's own helpers, stripped from the published typings */
export { withUnknownProperties } from './merge-unknown-properties.js';
/** @internal the client layer's own helpers, stripped from the published typings */
export { splitConfig, type NativeValue, type SplitConfig } from './split-config.js';
