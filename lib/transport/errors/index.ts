export { RequestTimeoutError } from './request-timeout.error.js';
export { UnsupportedNestVersionError } from './unsupported-nest-version.error.js';
