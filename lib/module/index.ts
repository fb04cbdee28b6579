export * from './interfaces/index.js';
export {
  InjectRdKafkaAdmin,
  InjectRdKafkaClient,
  InjectRdKafkaHealth,
  InjectRdKafkaProducer,
  InjectRdKafkaServer,
} from './inject-rdkafka.decorators.js';
export { RDKAFKA_MODULE_DEFAULTS, RDKAFKA_MODULE_OPTIONS } from './rdkafka.constants.js';
export type { MonitoredClient } from './rdkafka-client.monitor.js';
export { RdKafkaModule } from './rdkafka.module.js';
export { RdKafkaProducerService, type RdKafkaProducerServiceOptions } from './rdkafka-producer.service.js';
export {
  getRdKafkaAdminToken,
  getRdKafkaClientToken,
  getRdKafkaHealthToken,
  getRdKafkaProducerToken,
  getRdKafkaServerToken,
  getRdKafkaTransportId,
} from './rdkafka.tokens.js';
export type { TopicDifference, TopicProvisioningReport } from './topic-provisioner.js';
export { TopicProvisioningError } from './topic-provisioning.error.js';
