import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root directory. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Fails with the fix when the build these specs check is missing (`npm test` builds first). */
export function requireBuild(): void {
  if (!existsSync(join(PROJECT_ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before these specs');
}
