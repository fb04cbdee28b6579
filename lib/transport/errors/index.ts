export { HandlerTimeoutError } from './handler-timeout.error.js';
export { ReplyNotSentError } from './reply-not-sent.error.js';
export { RequestTimeoutError } from './request-timeout.error.js';
export { UnsupportedNestVersionError } from './unsupported-nest-version.error.js';
