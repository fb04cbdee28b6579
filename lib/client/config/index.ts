export type { ClientCallbacks, ClientConfig, ConsumerConfig, KafkaLogger, ProducerConfig } from './client-config.interface.js';
export type { LibrdKafkaConsumerProperties, LibrdKafkaGlobalProperties, LibrdKafkaProducerProperties } from './librdkafka-properties.js';
export { splitConfig, type NativeValue, type SplitConfig } from './split-config.js';
