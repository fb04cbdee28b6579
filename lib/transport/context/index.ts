export { RdKafkaContext, type RdKafkaContextArgs, type RdKafkaContextControls } from './rdkafka.context.js';
export { RdKafkaBatchContext, type RdKafkaBatchContextArgs, RdKafkaBatchFailures } from './rdkafka-batch.context.js';
