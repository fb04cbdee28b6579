// CommonJS on purpose (.cts compiles to .cjs in both builds): `require` and `__dirname` then exist in the ESM
// build too, where `import.meta.url` would be needed instead, and `import.meta` is a syntax error in the
// CommonJS build. This file is the one place that needs either.

/**
 * Node's `require`, resolving from this package (node-rdkafka is our dependency, not the application's).
 * @internal
 */
export const nodeRequire: NodeJS.Require = require;

/**
 * Reads this package's package.json: three levels up from `dist/esm|cjs/internal/`, two from `lib/internal/`.
 * `dist/cjs/package.json` (only `{"type":"commonjs"}`) is on the way, hence the name check.
 * @internal
 */
export function ownPackageJson(): { name: string; version: string } {
  const { existsSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  for (const up of ['..', '../..', '../../..']) {
    const file = join(__dirname, up, 'package.json');
    const pkg = existsSync(file) ? (require(file) as { name?: string; version: string }) : undefined;
    if (pkg?.name === 'nest-rdkafka') return { name: pkg.name, version: pkg.version };
  }
  throw new Error(`package.json of nest-rdkafka not found above ${__dirname}`);
}
