import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root directory. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Fails with the fix when the build these specs check is missing (`npm test` builds first). */
export function requireBuild(): void {
  // package.json's main, whatever the build's layout: that is what an application loads.
  const { main } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { main?: string };
  if (!main || !existsSync(join(PROJECT_ROOT, main)))
    throw new Error(`${main ?? 'package.json main'} is missing: run \`npm run build\` before these specs`);
}
