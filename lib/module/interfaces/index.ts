export type {
  RdKafkaHealthOptions,
  RdKafkaModuleExtras,
  RdKafkaModuleOptions,
  RdKafkaServerModuleOptions,
  RdKafkaTopicOptions,
} from './rdkafka-module-options.interface.js';
