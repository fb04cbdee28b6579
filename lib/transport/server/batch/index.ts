export { KAFKA_BATCH_DEFAULTS, type KafkaBatchOptions, type RdKafkaBatchExtras } from './batch.options.js';
export { KafkaBatchPattern } from './kafka-batch-pattern.decorator.js';
