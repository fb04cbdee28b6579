import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('the librdkafka config typings', () => {
  it("are what the installed librdkafka's CONFIGURATION.md gives (regenerate after a node-rdkafka upgrade)", () => {
    const r = spawnSync(process.execPath, ['scripts/generate-config-types.mjs', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
