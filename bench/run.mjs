#!/usr/bin/env node
// npm run bench [-- --quick]: every scenario in its own child process against one broker (the embedded one
// unless KAFKA_BOOTSTRAP_SERVERS is set), warm-up then N runs each, one table with median/min/max and ratios,
// written as JSON to bench/results/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, stopBroker } from '../scripts/lib/kafka-broker.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const RUNS = 5;
const SIZES = quick
  ? { produce: 30_000, events: 20_000, rpc: 200 }
  : { produce: 200_000, events: 100_000, rpc: 1000 };

function scenario(file, args) {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(ROOT, 'bench/scenarios', file), ...args.map(String)], {
    cwd: ROOT, encoding: 'utf8', env: process.env, timeout: 600_000,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`${file} ${args.join(' ')} failed (${r.status}): ${(r.stderr ?? '').split('\n').slice(-8).join('\n')}`);
  process.stderr.write('.');
  return JSON.parse(line.slice(7));
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');

async function main() {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
  let own = false;
  if (!process.env.KAFKA_BOOTSTRAP_SERVERS) {
    const b = await startBroker('single', 'test');
    own = !b.alreadyRunning;
    process.env.KAFKA_BOOTSTRAP_SERVERS = b.bootstrapServers;
  }
  const rows = [];
  try {
    for (const size of [100, 1024]) {
      for (const v of ['raw', 'ours', 'kafkajs']) {
        const r = scenario('produce.mjs', [v, size, SIZES.produce, RUNS]);
        rows.push({ scenario: `produce ${size} B, acks=all`, variant: v, unit: 'msg/s', ...stats(r.rates) });
      }
    }
    for (const v of ['raw', 'ours', 'nest']) {
      const r = scenario('events.mjs', [v, SIZES.events, RUNS]);
      rows.push({ scenario: 'events through handlers', variant: v, unit: 'msg/s', ...stats(r.rates),
        extra: { rssGrowthMb: r.rssGrowthMb, heapGrowthMb: r.heapGrowthMb, loopDelayP99Ms: r.loopDelayP99Ms } });
    }
    for (const v of ['ours', 'nest']) {
      const r = scenario('request-reply.mjs', [v, SIZES.rpc, RUNS, '1,16,64']);
      for (const [c, samples] of Object.entries(r.results)) {
        rows.push({ scenario: `request-reply c=${c}`, variant: v, unit: 'req/s', ...stats(samples.map((s) => s.rate)),
          extra: { p50Ms: stats(samples.map((s) => s.p50)).median, p99Ms: stats(samples.map((s) => s.p99)).median } });
      }
    }
  } finally {
    if (own) await stopBroker('single');
  }
  process.stderr.write('\n');
  print(rows);
  const out = path.join(ROOT, 'bench/results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), quick, runs: RUNS, sizes: SIZES, cpus: os.cpus().length, node: process.version, rows }, null, 2));
  console.log(`\nwritten to ${path.relative(ROOT, out)}`);
}

function print(rows) {
  const base = (scenario, variant) => rows.find((r) => r.scenario === scenario && r.variant === variant)?.median;
  const head = ['scenario', 'variant', 'median', 'min', 'max', 'unit', 'vs raw', 'vs Nest/kafkajs', 'notes'];
  const lines = rows.map((r) => {
    const raw = base(r.scenario, 'raw');
    const alt = base(r.scenario, 'nest') ?? base(r.scenario, 'kafkajs');
    const notes = r.extra
      ? Object.entries(r.extra).map(([k, v]) => `${k}=${fmt(v, 1)}`).join(' ')
      : '';
    return [r.scenario, r.variant, fmt(r.median), fmt(r.min), fmt(r.max), r.unit,
      raw ? `${fmt((100 * r.median) / raw)}%` : '', alt ? `${fmt(r.median / alt, 2)}x` : '', notes];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(row(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(row(l));
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
