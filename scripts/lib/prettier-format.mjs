// Generated sources go through the repository's prettier config, so `npm run format:check` and the generators'
// `--check` agree on one byte-exact text whatever the config says.
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

/** @returns `text` formatted as prettier would format the file at `target` (a file URL). */
export async function formatAs(target, text) {
  const filepath = fileURLToPath(target);
  const options = await prettier.resolveConfig(filepath);
  return prettier.format(text, { ...options, filepath });
}
