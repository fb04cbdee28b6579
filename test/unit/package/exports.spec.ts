import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Relative specifiers of runtime imports and re-exports (type-only ones are erased by the compiler). */
const RUNTIME_IMPORT = /^\s*(?:(?:import|export)\s+(?!type\s)[^;]*?from\s+|import\s+)'(\.{1,2}\/[^']+)'/gm;

/** Every lib/ file loaded at runtime when `entry` is imported. */
function runtimeGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT))
      visit(resolve(dirname(file), spec!.replace(/\.js$/, '.ts').replace(/\.cjs$/, '.cts')));
  };
  visit(join(ROOT, entry));
  return seen;
}

describe('package entry points', () => {
  it('the root loads none of the test doubles of lib/testing (the registry mock is at nest-rdkafka/testing too)', () => {
    const testing = [...runtimeGraph('lib/index.ts')].filter((f) => f.includes('/lib/testing/'));
    expect(testing).toEqual([]);
  });

  it('builds each subpath from the lib/ barrel of the same name, in both builds', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    for (const sub of ['admin', 'client', 'health', 'serdes', 'testing']) {
      expect(pkg.exports[`./${sub}`]).toEqual({
        import: { types: `./dist/esm/${sub}/index.d.ts`, default: `./dist/esm/${sub}/index.js` },
        require: { types: `./dist/cjs/${sub}/index.d.ts`, default: `./dist/cjs/${sub}/index.js` },
      });
      expect(existsSync(join(ROOT, `lib/${sub}/index.ts`))).toBe(true);
    }
  });

  it('exports the fakes at the ./testing subpath, built from lib/testing/index.ts', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(pkg.exports['./testing']).toEqual({
      import: { types: './dist/esm/testing/index.d.ts', default: './dist/esm/testing/index.js' },
      require: { types: './dist/cjs/testing/index.d.ts', default: './dist/cjs/testing/index.js' },
    });
    expect(existsSync(join(ROOT, 'lib/testing/index.ts'))).toBe(true);
    const barrel = readFileSync(join(ROOT, 'lib/testing/index.ts'), 'utf8');
    for (const name of [
      'FakeKafka',
      'FakeNativeConsumer',
      'FakeNativeProducer',
      'TestServerRdKafka',
      'TestClientRdKafka',
      'MockSchemaRegistryClient',
    ])
      expect(barrel).toContain(name);
  });
});
