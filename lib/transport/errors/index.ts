export { RequestTimeoutError } from './request-timeout.error.js';
