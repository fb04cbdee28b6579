import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './package-root.js';

const SCRIPT = join(PROJECT_ROOT, 'scripts/install/postinstall.cjs');
/** Every feature the script looks for, plus the ones it does not care about. */
const ALL = [
  'gzip',
  'snappy',
  'ssl',
  'sasl',
  'regex',
  'lz4',
  'sasl_gssapi',
  'sasl_plain',
  'sasl_scram',
  'plugins',
  'zstd',
  'sasl_oauthbearer',
];
const without = (...lost: string[]): string => ALL.filter((f) => !lost.includes(f)).join(',');

/** Runs the postinstall script as npm would (no terminal), its output kept on stderr. */
function postinstall(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [script, ...args, '--stderr'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the package postinstall (what node-rdkafka was built without)', () => {
  it('is the package postinstall and ships in the tarball', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      files: string[];
    };
    expect(pkg.scripts['postinstall']).toBe('node scripts/install/postinstall.cjs');
    expect(pkg.files).toContain('scripts/install/postinstall.cjs');
  });

  it('says nothing when librdkafka has zstd, GSSAPI and SSL', () => {
    expect(postinstall(SCRIPT, `--features=${ALL.join(',')}`)).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('names each lost feature, the Debian packages bringing them and the rebuild, and exits 0', () => {
    const r = postinstall(SCRIPT, `--features=${without('zstd', 'sasl_gssapi', 'ssl', 'sasl_scram')}`);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/zstd: no zstd compression/);
    expect(r.stderr).toMatch(/sasl_gssapi: no SASL GSSAPI \(Kerberos\)/);
    expect(r.stderr).toMatch(/ssl: no SSL\/TLS/);
    expect(r.stderr).toContain('sudo apt-get install libzstd-dev libsasl2-dev libssl-dev');
    expect(r.stderr).toContain('npm rebuild node-rdkafka');
  });

  it('asks only for the headers of what is missing', () => {
    const r = postinstall(SCRIPT, `--features=${without('zstd')}`);
    expect(r.stderr).toContain('sudo apt-get install libzstd-dev\n');
    expect(r.stderr).not.toMatch(/GSSAPI|SSL\/TLS/);
  });

  it('reads the installed node-rdkafka when no list is given (and exits 0 whatever it holds)', () => {
    const r = postinstall(SCRIPT);
    expect(r.status).toBe(0);
    const { features } = JSON.parse(
      spawnSync(process.execPath, ['-p', "JSON.stringify({ features: require('node-rdkafka').features })"], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      }).stdout,
    ) as { features: string[] };
    expect(r.stderr.includes('zstd: no')).toBe(!features.includes('zstd'));
  });

  it('is silent and exits 0 where node-rdkafka cannot be loaded (its build skipped or failed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'postinstall-'));
    try {
      copyFileSync(SCRIPT, join(dir, 'postinstall.cjs'));
      expect(postinstall(join(dir, 'postinstall.cjs'))).toEqual({ status: 0, stdout: '', stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
