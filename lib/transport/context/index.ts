export { RdKafkaContext, type RdKafkaContextArgs, type RdKafkaContextControls } from './rdkafka.context.js';
