// @opentelemetry/api is an optional peer: loaded only when metrics are enabled, and its absence costs nothing.
import { nodeRequire } from '../../../internal/node-require.cjs';
import type { MeterProviderLike } from '../metrics.options.js';

/**
 * The global MeterProvider of `@opentelemetry/api` (a no-op one until an SDK registers its own), or null when
 * the package is not installed.
 * @param load how to load it (a seam for tests)
 * @internal
 */
export function globalMeterProvider(load: (id: string) => unknown = nodeRequire): MeterProviderLike | null {
  try {
    return (load('@opentelemetry/api') as { metrics: { getMeterProvider(): MeterProviderLike } }).metrics.getMeterProvider();
  } catch (err) {
    if ((err as { code?: string })?.code === 'MODULE_NOT_FOUND') return null;
    throw err;
  }
}
