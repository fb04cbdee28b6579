export { DeadLetterHeaders, type FailureKind } from './dead-letter.headers.js';
export {
  defaultDeadLetterTopic,
  defaultRetryTopic,
  type DeadLetterOptions,
  type ErrorClass,
  type RetryTopicSettings,
  type RetryTopicsOptions,
} from './dead-letter.options.js';
export type { FailedRecord } from './failure-router.js';
