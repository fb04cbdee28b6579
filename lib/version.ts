import { loadNative } from './client/native/index.js';
import { ownPackageJson } from './internal/node-require.cjs';

/**
 * librdkafka's version, as confluent_kafka's `libversion()`: the string and its integer form (0xMMmmrrxx).
 * @publicApi
 */
export function libversion(): [string, number] {
  const v = loadNative().librdkafkaVersion;
  const [major = 0, minor = 0, revision = 0] = v.split('.').map((n) => Number.parseInt(n, 10));
  return [v, ((major << 24) | (minor << 16) | (revision << 8) | 0xff) >>> 0];
}

/**
 * The features librdkafka was compiled with (`gzip`, `zstd`, `ssl`, `sasl_scram`, …).
 * @publicApi
 */
export function builtinFeatures(): string[] {
  return [...loadNative().features];
}

/**
 * This package's version, as confluent_kafka's `version()`: the string and its integer form (0xMMmmrr00).
 * @publicApi
 */
export function version(): [string, number] {
  const v = ownPackageJson().version;
  const [major = 0, minor = 0, revision = 0] = v.split('.').map((n) => Number.parseInt(n, 10));
  return [v, ((major << 24) | (minor << 16) | (revision << 8)) >>> 0];
}
