// prom-client is an optional peer: nothing here loads it until a metrics option asks for its default registry.
import { nodeRequire } from '../../../internal/node-require.cjs';
import { MissingDependencyError } from '../../../errors/missing-dependency.error.js';
import type { PrometheusRegistryLike } from '../metrics.options.js';

/**
 * prom-client's default registry (`register`), loaded on use. Synchronous on purpose: it runs when a server or
 * client starts, and an ESM-only import would not be needed (prom-client is CommonJS).
 * @param load how to load it (a seam for tests)
 * @throws MissingDependencyError when prom-client is not installed
 * @internal
 */
export function defaultPrometheusRegistry(load: (id: string) => unknown = nodeRequire): PrometheusRegistryLike {
  try {
    return (load('prom-client') as { register: PrometheusRegistryLike }).register;
  } catch (err) {
    if ((err as { code?: string })?.code === 'MODULE_NOT_FOUND') throw new MissingDependencyError('prom-client', 'metrics.prometheus', err);
    throw err;
  }
}
