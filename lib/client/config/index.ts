export type { ClientCallbacks, ClientConfig, ConsumerConfig, KafkaLogger, ProducerConfig } from './client-config.interface.js';
export { TOPIC_PROPERTIES, type LibrdKafkaConsumerProperties, type LibrdKafkaGlobalProperties, type LibrdKafkaProducerProperties } from './librdkafka-properties.js';
export { splitConfig, type NativeValue, type SplitConfig } from './split-config.js';
