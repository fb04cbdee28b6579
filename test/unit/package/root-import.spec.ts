import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, requireBuild } from './package-root.js';

// Records every module the ES loader resolves; CommonJS ones show up in require.cache as well, so both are read.
const HOOK = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, resolved.url + '\\n');
  return resolved;
}
`;
// Imports the package by its name, as an application does, through package.json's exports.
const CHILD = `import { createRequire } from 'node:module';
await import('nest-rdkafka');
process.stdout.write(JSON.stringify(Object.keys(createRequire(process.cwd() + '/').cache)));
`;

/** The npm packages among module paths or URLs (`node_modules/<name>` or `node_modules/@scope/<name>`). */
function packagesOf(paths: readonly string[]): Set<string> {
  return new Set(
    paths.map((p) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(p)?.[1]?.replace('\\', '/')).filter((n): n is string => !!n),
  );
}

/** Every npm package a fresh process loads by importing the package root. */
function packagesLoadedByRootImport(): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), 'root-import-'));
  try {
    const log = join(dir, 'resolved.log');
    writeFileSync(log, '');
    writeFileSync(join(dir, 'hook.mjs'), HOOK);
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister('./hook.mjs', import.meta.url, { data: { log: ${JSON.stringify(log)} } });\n`,
    );
    const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), '--input-type=module', '-e', CHILD], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`importing the package root failed: ${r.stderr}`);
    return packagesOf([...(JSON.parse(r.stdout) as string[]), ...readFileSync(log, 'utf8').split('\n')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('importing the package root', () => {
  beforeAll(requireBuild);

  it('loads none of the packages only some features need (kafkajs, kafka-ts, avsc, OpenTelemetry)', () => {
    const loaded = packagesLoadedByRootImport();
    // The probe sees packages at all: the root does load Nest's microservices (a peer it extends).
    expect(loaded).toContain('@nestjs/microservices');
    expect([...loaded].filter((name) => ['kafkajs', 'kafka-ts', 'avsc', '@nestjs/terminus', '@opentelemetry/api'].includes(name))).toEqual(
      [],
    );
  });
});
