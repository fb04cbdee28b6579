import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transpileForChild } from '../../integration/helpers/transpile-for-child.js';

// A loader hook that makes @nestjs/terminus unresolvable, as in an application that did not install it.
const BLOCK = `export async function resolve(specifier, context, next) {
  if (specifier === '@nestjs/terminus' || specifier.startsWith('@nestjs/terminus/')) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}
`;
const REGISTER = "import { register } from 'node:module';\nregister('./block-terminus.mjs', import.meta.url);\n";

describe('the package root without @nestjs/terminus installed', () => {
  it('imports, and the health indicator rejects with MissingDependencyError instead of exiting', () => {
    const compiled = transpileForChild('test/unit/health/fixtures/import-root.child.ts');
    try {
      const root = dirname(dirname(dirname(dirname(dirname(compiled.entry)))));
      writeFileSync(join(root, 'block-terminus.mjs'), BLOCK);
      writeFileSync(join(root, 'register.mjs'), REGISTER);
      const r = spawnSync(process.execPath, ['--import', join(root, 'register.mjs'), compiled.entry], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.stderr).not.toContain('Error');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout.trim())).toEqual({
        module: 'function',
        errorName: 'MissingDependencyError',
        errorMessage: 'RdKafkaHealthIndicator needs the optional package "@nestjs/terminus": npm install @nestjs/terminus',
      });
    } finally {
      compiled.cleanup();
    }
  });
});
