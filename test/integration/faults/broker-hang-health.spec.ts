import { randomUUID } from 'node:crypto';
import { embeddedBrokerPids } from '../helpers/broker-process.js';
import { type HangApp, startHangApp } from '../helpers/hang-app.js';
import { downMs, healthThroughHang } from '../helpers/health-under-hang.js';
import { bootstrapServers } from '../helpers/kafka-env.js';

const RUN = randomUUID().slice(0, 8);
const HANG_MS = 10_000;

describe('health through a hung single broker (SIGSTOP under traffic, then SIGCONT)', () => {
  let h: HangApp;

  beforeAll(async () => {
    h = await startHangApp(bootstrapServers(), { name: `hang-health-${RUN}`, numPartitions: 1 }, `hang-health-${RUN}`);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is down while the broker hangs and up again within a few seconds of records flowing again', async () => {
    const [pid] = embeddedBrokerPids();
    const f = await healthThroughHang({ ...h, topic: `hang-health-${RUN}`, pid, hangMs: HANG_MS });
    const firstDown = f.samples.find((s) => s.start > f.stoppedAt && !s.healthy);
    console.log(
      [
        `single broker hung ${f.continuedAt - f.stoppedAt} ms; records flowed again ${f.flowingAt - f.continuedAt} ms after SIGCONT`,
        `health down ${downMs(f.samples, f.stoppedAt, f.upAt)} ms; up ${f.upAt - f.flowingAt} ms after records flowed again`,
        `down because: ${firstDown?.problems.join('; ')}`,
      ].join('\n'),
    );
    // Never up while the cluster cannot be reached: every check run entirely inside the hang said down.
    const inside = f.samples.filter((s) => s.start > f.stoppedAt + 500 && s.end < f.continuedAt);
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.filter((s) => s.healthy)).toEqual([]);
    expect(f.upAt - f.flowingAt).toBeLessThan(5000);
  });
});
