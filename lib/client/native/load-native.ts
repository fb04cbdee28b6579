import type * as RdKafka from 'node-rdkafka';
import { nodeRequire } from '../../internal/node-require.cjs';

/**
 * The only place that loads node-rdkafka. It is a CommonJS native addon, required lazily (through the shim
 * that works in both the ESM and the CommonJS build); loading it once here keeps the addon out of code paths
 * (and unit tests) that never touch Kafka.
 * @internal
 */
let native: typeof RdKafka | undefined;

/** node-rdkafka, loaded on first call. @internal */
export function loadNative(): typeof RdKafka {
  native ??= nodeRequire('node-rdkafka') as typeof RdKafka;
  return native;
}
