export { nestLoggerCallbacks, toKafkaLogger } from './nest-logger.bridge.js';
export { redactConfig, redactLine } from './redact.js';
