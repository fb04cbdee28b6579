export type { ConsumerSample, PartitionProgress } from './consumer-progress.js';
export { RdKafkaHealthIndicator, type RdKafkaHealthReport } from './rdkafka.health.js';
