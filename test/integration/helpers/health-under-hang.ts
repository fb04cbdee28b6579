import { setTimeout as sleep } from 'node:timers/promises';
import type { RdKafkaProducerService } from '../../../lib/index.js';
import type { RdKafkaHealthIndicator } from '../../../lib/health/index.js';
import { hangBroker } from './broker-process.js';
import type { HandledTick } from './hang-app.js';
import { waitFor } from './transport-topics.js';

/** One health check: when it ran and what it said. */
export interface HealthSample {
  start: number;
  end: number;
  healthy: boolean;
  problems: readonly string[];
}

/** What a hang did to traffic and to health. */
export interface HangFigures {
  stoppedAt: number;
  continuedAt: number;
  /**
   * When records flowed again: the first record emitted after the hang began (plus a second) was handled (a single
   * broker: after SIGCONT; a cluster: once the other brokers took over).
   */
  flowingAt: number;
  /** When that record was emitted. */
  emittedAt: number;
  /** The first healthy check that ended after `flowingAt` ended here (checks take up to the health timeout). */
  upAt: number;
  samples: HealthSample[];
}

interface HangRun {
  health: RdKafkaHealthIndicator;
  events: RdKafkaProducerService;
  topic: string;
  /** What the app's handler saw. */
  handled: HandledTick[];
  pid: number;
  hangMs: number;
}

/** The first handled record that was emitted after `from`. */
function firstEmittedAfter(handled: readonly HandledTick[], from: number): HandledTick | undefined {
  return handled.filter((t) => t.emittedAt > from).sort((a, b) => a.handledAt - b.handledAt)[0];
}

/**
 * Emits an event every 100 ms and checks health every 200 ms while a broker hangs for `hangMs`; returns when
 * records flow again and health is up (bounded: each wait throws after its limit, both loops stop in finally).
 */
export async function healthThroughHang(r: HangRun): Promise<HangFigures> {
  const samples: HealthSample[] = [];
  let running = true;
  let hang: Promise<{ stoppedAt: number; continuedAt: number }> | undefined;
  const traffic = (async () => {
    for (let n = 0; running && n < 2000; n++) {
      r.events.dispatch(r.topic, { n, at: Date.now() });
      await sleep(100);
    }
  })();
  const checks = (async () => {
    while (running && samples.length < 1000) {
      const start = Date.now();
      const report = await r.health.report();
      samples.push({ start, end: Date.now(), healthy: report.healthy, problems: report.problems });
      await sleep(200);
    }
  })();
  try {
    await waitFor(() => r.handled.length > 5 && samples.at(-1)?.healthy === true, 30_000, 'records flowing and health up');
    const stoppedAt = Date.now();
    hang = hangBroker(r.pid, r.hangMs);
    await waitFor(() => firstEmittedAfter(r.handled, stoppedAt + 1000) !== undefined, r.hangMs + 60_000, 'records flowing again');
    const { handledAt: flowingAt, emittedAt } = firstEmittedAfter(r.handled, stoppedAt + 1000)!;
    const upAfterFlow = (s: HealthSample): boolean => s.end >= flowingAt && s.healthy;
    await waitFor(() => samples.some(upAfterFlow), r.hangMs + 30_000, 'health up again');
    const upAt = samples.find(upAfterFlow)!.end;
    const { continuedAt } = await hang;
    return { stoppedAt, continuedAt, flowingAt, emittedAt, upAt, samples };
  } finally {
    running = false;
    // SIGCONT before anything else can end the run: a broker left stopped would hang every later test.
    await Promise.all([traffic, checks, hang]);
  }
}

/** How long health said down between two moments (each down check counts until the next check started). */
export function downMs(samples: readonly HealthSample[], from: number, to: number): number {
  let total = 0;
  samples.forEach((s, i) => {
    const next = samples[i + 1]?.start ?? s.end;
    if (!s.healthy) total += Math.max(0, Math.min(next, to) - Math.max(s.start, from));
  });
  return total;
}
