import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, requireBuild } from './package-root.js';

interface EntrySurface {
  runtime: string[];
  types: string[];
  internal: string[];
}
type Surface = Record<string, EntrySurface>;

/** A bound on the root: what an application sees first stays small; the rest belongs behind a subpath. */
const ROOT_RUNTIME_NAMES = 60;
// Typings: the option types of the server (batch handlers, retry and dead-letter topics) sit beside it.
const ROOT_TYPING_NAMES = 116;
const SUBPATHS = ['./admin', './client', './health', './metrics', './serdes', './testing'];

function node(args: string[]): string {
  const r = spawnSync(process.execPath, args, {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The package name with a subpath ('.' is the root). */
const specifier = (sub: string): string => `nest-rdkafka${sub.slice(1)}`;

/** Runtime names of each entry point, loaded by the package's name (package.json's exports), as ESM and as CommonJS. */
function loadedNames(kind: 'esm' | 'cjs', subs: string[]): Record<string, string[]> {
  const list = JSON.stringify(subs.map(specifier));
  const body =
    kind === 'esm'
      ? `const out = {}; for (const s of ${list}) out[s] = Object.keys(await import(s)).sort(); console.log(JSON.stringify(out));`
      : `const out = {}; for (const s of ${list}) out[s] = Object.keys(require(s)).sort(); console.log(JSON.stringify(out));`;
  return JSON.parse(node(kind === 'esm' ? ['--input-type=module', '-e', body] : ['--input-type=commonjs', '-e', body])) as Record<
    string,
    string[]
  >;
}

/** Runs tsc on `files` (name -> source) with `options`, in a directory inside the project; returns its output. */
function tsc(files: Record<string, string>, options: Record<string, unknown>): { status: number | null; output: string } {
  // Inside the project (its node_modules serve the package's own dependencies) with the package installed as an
  // application has it: node_modules/nest-rdkafka.
  mkdirSync(join(PROJECT_ROOT, '.cache'), { recursive: true });
  const dir = mkdtempSync(join(PROJECT_ROOT, '.cache', 'consumer-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(PROJECT_ROOT, join(dir, 'node_modules', 'nest-rdkafka'), 'dir');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], ...options },
        files: Object.keys(files),
      }),
    );
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, output: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A consumer importing every name of every entry point (aliased per entry point: a name may be in two). */
function consumerOf(surface: Surface): string {
  return `${Object.entries(surface)
    .map(([sub, { types }], i) => `import { ${types.map((n) => `${n} as e${i}_${n}`).join(', ')} } from '${specifier(sub)}';`)
    .join('\n')}\n`;
}

describe('the public surface (package.json exports)', () => {
  let surface: Surface;

  beforeAll(() => {
    requireBuild();
    surface = JSON.parse(node(['scripts/build/public-surface.mjs', '--json'])) as Surface;
  });

  it('has a small root and the rest behind the admin, client, health, metrics, serdes and testing subpaths', () => {
    expect(Object.keys(surface).sort()).toEqual(['.', ...SUBPATHS]);
    const root = surface['.']!;
    expect(root.runtime.length).toBeLessThanOrEqual(ROOT_RUNTIME_NAMES);
    expect(root.types.length).toBeLessThanOrEqual(ROOT_TYPING_NAMES);
    // What an application starts from is at the root; the rest is not.
    expect(root.runtime).toEqual(
      expect.arrayContaining([
        'RdKafkaModule',
        'ServerRdKafka',
        'ClientRdKafka',
        'RdKafkaContext',
        'RdKafkaProducerService',
        'Producer',
        'Consumer',
        'Message',
        'TopicPartition',
        'KafkaError',
        'KafkaException',
        'ErrorCode',
        'OFFSET_BEGINNING',
      ]),
    );
    for (const elsewhere of [
      'AdminClient',
      'RdKafkaAdminService',
      'SchemaRegistryClient',
      'AvroSerializer',
      'RdKafkaHealthIndicator',
      'MockSchemaRegistryClient',
      'FakeKafka',
      'murmur2',
    ])
      expect(root.runtime).not.toContain(elsewhere);
  });

  it('exports no name whose declaration is marked @internal, from any entry point', () => {
    const internal = Object.entries(surface).flatMap(([sub, e]) => e.internal.map((name) => `${specifier(sub)}: ${name}`));
    expect(internal).toEqual([]);
  });

  it('types every name it exports at runtime (no runtime export lost to stripInternal)', () => {
    const untyped = Object.entries(surface).flatMap(([sub, e]) =>
      e.runtime.filter((n) => !e.types.includes(n)).map((n) => `${specifier(sub)}: ${n}`),
    );
    expect(untyped).toEqual([]);
  });

  it('loads every entry point by its name as an ES module and as CommonJS, with the same names', () => {
    const subs = Object.keys(surface);
    const esm = loadedNames('esm', subs);
    const cjs = loadedNames('cjs', subs);
    for (const sub of subs) {
      expect(esm[specifier(sub)]).toEqual(surface[sub]!.runtime);
      expect(cjs[specifier(sub)]).toEqual(surface[sub]!.runtime);
    }
  });

  it('compiles a consumer of every exported name against the ESM and CommonJS typings with skipLibCheck off', () => {
    // skipLibCheck off: every .d.ts the entry points reach is checked, so a declaration stripped as @internal
    // that a public one still names fails here.
    const consumer = consumerOf(surface);
    expect(tsc({ 'esm.mts': consumer, 'cjs.cts': consumer }, { module: 'NodeNext', moduleResolution: 'NodeNext' })).toEqual({
      status: 0,
      output: '',
    });
  });

  it('resolves the subpaths typings for a CommonJS project on the older node10 resolution (typesVersions)', () => {
    // The options of Nest's CommonJS starter (allowSyntheticDefaultImports: the typings import avsc's default).
    const options = { module: 'CommonJS', moduleResolution: 'Node10', allowSyntheticDefaultImports: true };
    expect(tsc({ 'app.ts': consumerOf(surface) }, options)).toEqual({ status: 0, output: '' });
  });
});
