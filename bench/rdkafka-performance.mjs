// librdkafka's own benchmark tool, rdkafka_performance, built on demand from the C source that ships inside the
// node-rdkafka package (deps/librdkafka/examples/rdkafka_performance.c) and linked against the librdkafka that
// node-rdkafka's install built (build/deps): the same library, version and build flags our code runs on, so the
// tool is the ceiling for produce and consume on the same broker. Nothing of it is kept in this repository; the
// binary goes to .cache/bench/ and is rebuilt when the source or the library is newer than it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, '.cache/bench/rdkafka_performance');

/** Where node-rdkafka's package is (node_modules may be a symlink: librdkafka's rpath gets the real path). */
function packageDir() {
  const require = createRequire(import.meta.url);
  return fs.realpathSync(path.dirname(require.resolve('node-rdkafka/package.json')));
}

/**
 * The link inputs: node-rdkafka's shared librdkafka (with an rpath to it), or else its static one with the
 * system libraries librdkafka's configure found (LIBS in its Makefile.config).
 */
function linkArgs(pkg) {
  const libDir = path.join(pkg, 'build/deps');
  for (const shared of ['librdkafka.so', 'librdkafka.dylib']) {
    const lib = path.join(libDir, shared);
    if (fs.existsSync(lib)) return { inputs: [lib], args: [lib, `-Wl,-rpath,${libDir}`] };
  }
  const lib = path.join(libDir, 'librdkafka.a');
  const mk = path.join(pkg, 'deps/librdkafka/Makefile.config');
  if (!fs.existsSync(lib) || !fs.existsSync(mk)) return null;
  const libs = fs
    .readFileSync(mk, 'utf8')
    .split('\n')
    .filter((l) => /^LIBS\+?=/.test(l))
    .flatMap((l) =>
      l
        .replace(/^LIBS\+?=/, '')
        .trim()
        .split(/\s+/),
    )
    .filter(Boolean);
  return { inputs: [lib], args: [lib, ...libs] };
}

/**
 * Builds the tool when missing or stale.
 * @returns `{ path }` of the binary, or `{ error }` saying why it could not be built (the bench then leaves its
 *   rows out and says so)
 */
export function ensureRdkafkaPerformance() {
  let pkg;
  try {
    pkg = packageDir();
  } catch (e) {
    return { error: `node-rdkafka not found: ${e.message}` };
  }
  const src = path.join(pkg, 'deps/librdkafka/examples/rdkafka_performance.c');
  const include = path.join(pkg, 'deps/librdkafka/src');
  if (!fs.existsSync(src)) return { error: `${src} is missing (node-rdkafka installed without its librdkafka sources?)` };
  const link = linkArgs(pkg);
  if (!link) return { error: `no librdkafka library under ${path.join(pkg, 'build/deps')} (node-rdkafka not built from source?)` };
  const mtime = (f) => fs.statSync(f).mtimeMs;
  if (fs.existsSync(OUT) && [src, ...link.inputs].every((f) => mtime(f) <= mtime(OUT))) return { path: OUT };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  const cc = process.env.CC ?? 'cc';
  // Its includes are librdkafka's internal headers (rd.h, rdtime.h), which sit beside rdkafka.h in src/.
  const r = spawnSync(cc, ['-O2', `-I${include}`, src, '-o', `${OUT}.tmp`, ...link.args, '-lm', '-lpthread'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr ?? '').split('\n').slice(-6).join('\n');
    return { error: `${cc} could not build rdkafka_performance: ${why}` };
  }
  fs.renameSync(`${OUT}.tmp`, OUT);
  return { path: OUT };
}

// `node bench/rdkafka-performance.mjs` builds it and prints where it is.
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = ensureRdkafkaPerformance();
  if (r.error) {
    console.error(r.error);
    process.exit(1);
  }
  console.log(r.path);
}
