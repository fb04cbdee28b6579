import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURES = join(ROOT, 'test/integration/nest-versions/fixtures');
/** Installed fixtures persist here between runs: npm then only re-resolves what changed (the tarball). */
const WORK = join(ROOT, '.cache/nest-fixtures');

/**
 * Packs the project as `npm publish` would (from the built dist/) into .cache/nest-fixtures.
 * @returns the tarball's path
 * @throws when dist/ is missing: the spec tests the build, `npm test` runs it first
 */
export async function packProject(): Promise<string> {
  for (const entry of ['dist/esm/index.js', 'dist/cjs/index.js', 'dist/cjs/package.json']) {
    if (!existsSync(join(ROOT, entry))) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  }
  mkdirSync(WORK, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', WORK], { cwd: ROOT });
  const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
  return join(WORK, filename);
}

/**
 * Installs a fixture app (test/integration/nest-versions/fixtures/<name>) with the tarball as its
 * `nest-rdkafka` dependency. Scripts are skipped, so node-rdkafka is not compiled again (4 minutes): its
 * `build/` is linked to the one this project already built, after checking both are the same version.
 * @returns the installed fixture's directory
 */
export async function installFixture(name: string, tarball: string): Promise<string> {
  const dir = join(WORK, name);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(join(FIXTURES, name))) cpSync(join(FIXTURES, name, file), join(dir, file));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies['nest-rdkafka'] = `file:${tarball}`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // The lock pins the previous tarball's integrity; the other packages stay installed in node_modules.
  rmSync(join(dir, 'package-lock.json'), { force: true });
  rmSync(join(dir, 'node_modules/nest-rdkafka'), { recursive: true, force: true });
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
    timeout: 300_000,
  });
  linkNativeBuild(dir);
  return dir;
}

function linkNativeBuild(dir: string): void {
  const ours = realpathSync(join(ROOT, 'node_modules/node-rdkafka'));
  const theirs = join(dir, 'node_modules/node-rdkafka');
  const version = (d: string): string => (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { version: string }).version;
  if (version(ours) !== version(theirs)) {
    throw new Error(
      `the fixture got node-rdkafka ${version(theirs)}, this project built ${version(ours)}: their native builds are not interchangeable`,
    );
  }
  const build = join(theirs, 'build');
  if (existsSync(build) || isDanglingLink(build)) rmSync(build, { recursive: true, force: true });
  symlinkSync(join(ours, 'build'), build, 'dir');
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Runs a node script in a fixture directory with the broker and the scenario's topics in its environment.
 * @returns its stdout
 * @throws with its stderr when it exits non-zero or outlives `timeoutMs`
 */
export async function runInFixture(dir: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`${args.join(' ')} in ${dir} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** This project's jest binary: the fixture's tests run on the same jest, in CommonJS mode. */
export const JEST_BIN = join(ROOT, 'node_modules/jest/bin/jest.js');

/** This project's TypeScript compiler, for the fixtures' type checks (`@types/node` resolves from here too). */
export const TSC_BIN = join(ROOT, 'node_modules/typescript/bin/tsc');
