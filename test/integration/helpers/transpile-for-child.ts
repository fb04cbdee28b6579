import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';

const require = createRequire(import.meta.url);
const ts = require('typescript') as typeof TS;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : /\.c?ts$/.test(p) && !/\.d\.c?ts$/.test(p) ? [p] : [];
  });
}

/**
 * Transpiles lib/ and one script to plain ES modules under .cache/ (inside the project, so the child resolves
 * node_modules), for tests that run the transport in a child process they can SIGKILL. Type checking is the
 * typecheck step's job; isolatedModules makes per-file transpiling exact.
 * @returns the compiled script's path and a cleanup function
 */
export function transpileForChild(script: string): { entry: string; cleanup: () => void } {
  const out = join(ROOT, '.cache', `child-${randomUUID()}`);
  const options: TS.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
  };
  for (const file of [...tsFiles(join(ROOT, 'lib')), join(ROOT, script)]) {
    // A .cts file is CommonJS in every build (lib/internal/node-require.cts), imported as '.cjs'.
    const cjs = file.endsWith('.cts');
    const compilerOptions = cjs ? { ...options, module: ts.ModuleKind.CommonJS } : options;
    const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file }).outputText;
    const target = join(out, relative(ROOT, file))
      .replace(/\.ts$/, '.js')
      .replace(/\.cts$/, '.cjs');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  return { entry: join(out, script.replace(/\.ts$/, '.js')), cleanup: () => rmSync(out, { recursive: true, force: true }) };
}
