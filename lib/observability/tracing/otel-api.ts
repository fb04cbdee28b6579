// Types only: @opentelemetry/api is an optional peer, so nothing here may load it when the package is imported.
// It is required on first use (a producer or server being built), once per process.
import type * as OtelApi from '@opentelemetry/api';
import { nodeRequire } from '../../internal/node-require.cjs';

/** The `@opentelemetry/api` module. @internal */
export type OtelApiModule = typeof OtelApi;

let loaded: OtelApiModule | null | undefined;

/**
 * `@opentelemetry/api`, or null when it is not installed (tracing is then off and costs nothing). Cached: a
 * missing package is looked for once. The api keeps its registered provider, propagator and context manager on
 * a global, so the copy required here (CommonJS in both builds) sees what an ESM application registered.
 * @internal
 */
export function loadOtelApi(): OtelApiModule | null {
  if (loaded === undefined) loaded = requireOtelApi(nodeRequire);
  return loaded;
}

/**
 * Requires the api through `req` (a seam for tests).
 * @returns null when it is not installed; any other failure to load it is passed on
 * @internal
 */
export function requireOtelApi(req: (id: string) => unknown): OtelApiModule | null {
  try {
    return req('@opentelemetry/api') as OtelApiModule;
  } catch (err) {
    const code = (err as { code?: string })?.code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw err;
    return null;
  }
}
