#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per file, top N.
// Usage: node bench/tools/profile-summary.mjs <file.cpuprofile> [top=25] [fromUs toUs]
// fromUs/toUs (process.hrtime in microseconds, as the scenarios report in `windowUs`) keep only the samples
// taken in the measured window, leaving out start-up and pre-filling.
import fs from 'node:fs';
import path from 'node:path';

const [file, topArg, fromArg, toArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const dt = new Map();
// timeDeltas[i] is the time before samples[i]; attribute it to that sample's node.
const [from, to] = [Number(fromArg ?? -Infinity), Number(toArg ?? Infinity)];
let at = prof.startTime;
for (let i = 0; i < prof.samples.length; i++) {
  at += prof.timeDeltas[i] ?? 0;
  if (at < from || at > to) continue;
  dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const total = [...dt.values()].reduce((a, b) => a + b, 0);

const short = (url) => {
  if (!url) return '(native/vm)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  return nm >= 0 ? u.slice(nm + 13) : path.relative(process.cwd(), u);
};
const fnSelf = new Map();
const fileSelf = new Map();
for (const [id, us] of dt) {
  const { callFrame: f } = byId.get(id);
  const fn = `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;
  fnSelf.set(fn, (fnSelf.get(fn) ?? 0) + us);
  const key = f.url
    ? short(f.url)
        .split('/')
        .slice(0, f.url.includes('node_modules') ? 2 : 3)
        .join('/')
    : `(${f.functionName})`;
  fileSelf.set(key, (fileSelf.get(key) ?? 0) + us);
}
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  }
};
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
print('self time by function', fnSelf);
print('self time by package / folder', fileSelf);
