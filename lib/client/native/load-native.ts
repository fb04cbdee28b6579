import { createRequire } from 'node:module';
import type * as RdKafka from 'node-rdkafka';

/**
 * The only place that loads node-rdkafka. It is a CommonJS native addon, so an ES module reaches it through
 * createRequire; loading it once here keeps the addon out of code paths (and unit tests) that never touch Kafka.
 * @internal
 */
const require = createRequire(import.meta.url);

let native: typeof RdKafka | undefined;

/** @internal */
export function loadNative(): typeof RdKafka {
  native ??= require('node-rdkafka') as typeof RdKafka;
  return native;
}
