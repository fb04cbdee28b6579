#!/usr/bin/env node
// The package's public surface, entry point by entry point of package.json's `exports`, as a consumer sees it:
// the runtime names (what `import('nest-rdkafka/…')` yields from the ES build), every name of its typings
// (values and types, read by the TypeScript compiler from the emitted .d.ts), and the names whose declaration in
// lib/ is marked `@internal` (which no entry point may export). The package specs read it; it also reports the
// surface's size:
//   node scripts/build/public-surface.mjs            (after `npm run build`; --json for the names)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** subpath -> { js, dts, source }: the ES build's files and the lib/ barrel they are built from. */
export function entryPoints(root = ROOT) {
  const { exports } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([, target]) => typeof target === 'object')
      .map(([sub, target]) => [
        sub,
        {
          js: path.join(root, target.import.default),
          dts: path.join(root, target.import.types),
          source: path.join(root, target.import.default.replace(/^\.\/dist\/esm\//, 'lib/').replace(/\.js$/, '.ts')),
        },
      ]),
  );
}

/** For each module file: its exported symbols, read by one program (aliases resolved to their declarations). */
function exportsOf(files) {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  return files.map((file) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file));
    return (module ? checker.getExportsOfModule(module) : []).map((s) => ({
      name: s.getName(),
      target: s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s,
    }));
  });
}

const isInternal = (symbol) => (symbol.declarations ?? []).some((d) => ts.getJSDocTags(d).some((tag) => tag.tagName.text === 'internal'));

/** subpath -> { runtime, types, internal }: sorted names. */
export async function publicSurface(root = ROOT) {
  const entries = Object.entries(entryPoints(root));
  const typings = exportsOf(entries.map(([, e]) => e.dts));
  const sources = exportsOf(entries.map(([, e]) => e.source));
  const surface = {};
  for (const [i, [sub, e]] of entries.entries()) {
    surface[sub] = {
      runtime: Object.keys(await import(pathToFileURL(e.js).href)).sort(),
      types: typings[i].map((s) => s.name).sort(),
      internal: sources[i]
        .filter((s) => isInternal(s.target))
        .map((s) => s.name)
        .sort(),
    };
  }
  return surface;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const surface = await publicSurface();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(surface)}\n`);
  else
    for (const [sub, { runtime, types, internal }] of Object.entries(surface)) {
      console.log(
        `${sub}: ${runtime.length} runtime names, ${types.length} names in its typings (${types.length - runtime.length} type-only)${internal.length ? `, @internal: ${internal.join(', ')}` : ''}`,
      );
    }
}
