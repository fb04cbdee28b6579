// Types only: @nestjs/terminus is an optional peer, so nothing here may load it when the package is imported
// (that would fail every application without it). It is loaded on first use by loadTerminus().
import type * as Terminus from '@nestjs/terminus';
import { MissingDependencyError } from '../errors/missing-dependency.error.js';

/** The `@nestjs/terminus` module namespace. @internal */
export type TerminusModule = typeof Terminus;

/** How the package is imported; a seam for tests. @internal */
export type TerminusImporter = () => Promise<TerminusModule>;

const TERMINUS = '@nestjs/terminus';

/**
 * Imports `@nestjs/terminus`.
 * @param importer how to import it @default a dynamic `import()`
 * @returns its module namespace
 * @throws MissingDependencyError when it is not installed (other import failures are passed on)
 * @internal
 */
export async function loadTerminus(
  importer: TerminusImporter = () => import(TERMINUS) as Promise<TerminusModule>,
): Promise<TerminusModule> {
  try {
    return await importer();
  } catch (err) {
    const code = (err as { code?: string })?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new MissingDependencyError(TERMINUS, 'RdKafkaHealthIndicator', err);
    throw err;
  }
}
