#!/usr/bin/env node
// The second half of `npm run build`: marks dist/cjs as CommonJS. The root package.json says "type": "module",
// so without this marker Node would read the CommonJS build's .js files as ES modules.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
fs.writeFileSync(path.join(ROOT, 'dist/cjs/package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
