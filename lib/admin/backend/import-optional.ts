import { MissingDependencyError } from '../../errors/missing-dependency.error.js';

/** How a package is imported; a seam for tests. @internal */
export type PackageImporter = (name: string) => Promise<unknown>;

// The name goes through a variable so that TypeScript and bundlers do not resolve the package at build time.
const importPackage: PackageImporter = (name) => import(name);

/** Whether an import failed because `name` itself is not installed (not a module it requires in turn). */
function isMissing(err: unknown, name: string): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(message).includes(`'${name}'`);
}

/**
 * Imports a package the admin loads on first use (kafkajs, kafka-ts), so importing nest-rdkafka never loads it.
 * @param name the npm package
 * @param feature what needs it, for the error (`AdminClient.electLeaders`)
 * @param importer how to import it @default a dynamic `import()`
 * @returns its module namespace (a CommonJS package's exports are under `default`)
 * @throws MissingDependencyError when the package is not installed (other import failures are passed on)
 * @internal
 */
export async function importOptional(name: string, feature: string, importer: PackageImporter = importPackage): Promise<unknown> {
  try {
    return await importer(name);
  } catch (err) {
    if (isMissing(err, name)) throw new MissingDependencyError(name, feature, err);
    throw err;
  }
}
