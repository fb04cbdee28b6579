export { DEFAULT_HANDLER_ERROR_POLICY, type HandlerErrorPolicy } from './handler-error.policy.js';
export { ServerRdKafka } from './server-rdkafka.js';
export type { ServerRdKafkaOptions } from './server-rdkafka.options.js';
export * from './batch/index.js';
export {
  DeadLetterHeaders,
  type DeadLetterOptions,
  defaultDeadLetterTopic,
  defaultRetryTopic,
  type ErrorClass,
  type FailedRecord,
  type FailureKind,
  type RetryTopicSettings,
  type RetryTopicsOptions,
} from './dead-letter/index.js';
