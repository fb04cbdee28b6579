// Needs the embedded 3-node cluster: `npm run kafka:start -- --cluster`.
import { randomUUID } from 'node:crypto';
import { embeddedClusterState } from '../helpers/broker-process.js';
import { type HangApp, startHangApp } from '../helpers/hang-app.js';
import { downMs, healthThroughHang } from '../helpers/health-under-hang.js';

const RUN = randomUUID().slice(0, 8);
const TOPIC = `cluster-hang-health-${RUN}`;
/** Long enough that the other brokers take over well before the hung one comes back (broker.session.timeout.ms 4 s). */
const HANG_MS = 20_000;

describe('health through one hung broker of three (SIGSTOP the leader of partition 0 under traffic)', () => {
  let h: HangApp;
  let cluster: { bootstrapServers: string; pids: number[] };

  beforeAll(async () => {
    cluster = embeddedClusterState();
    h = await startHangApp(
      cluster.bootstrapServers,
      { name: TOPIC, numPartitions: 3, replicationFactor: 3, config: { 'min.insync.replicas': '2' } },
      `cluster-hang-${RUN}`,
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is up again within a few seconds of records flowing through the other brokers, while the leader still hangs', async () => {
    const md = await h.events.unwrap().listTopics(TOPIC, 10_000);
    const leader = md.topics.get(TOPIC)!.partitions.get(0)!.leader;
    const f = await healthThroughHang({ ...h, topic: TOPIC, pid: cluster.pids[leader - 1], hangMs: HANG_MS });
    const firstDown = f.samples.find((s) => s.start > f.stoppedAt && !s.healthy);
    console.log(
      [
        `leader (broker ${leader}) hung ${f.continuedAt - f.stoppedAt} ms; records flowed again ${f.flowingAt - f.stoppedAt} ms after SIGSTOP (one emitted ${f.emittedAt - f.stoppedAt} ms in)`,
        `health down ${downMs(f.samples, f.stoppedAt, f.continuedAt)} ms of the hang; up ${f.upAt - f.flowingAt} ms after records flowed again`,
        `down because: ${firstDown?.problems.join('; ') ?? '(never down)'}`,
        `a check took up to ${Math.max(...f.samples.filter((s) => s.start >= f.stoppedAt && s.end <= f.continuedAt).map((s) => s.end - s.start))} ms during the hang`,
      ].join('\n'),
    );
    expect(f.flowingAt).toBeLessThan(f.continuedAt);
    expect(f.upAt - f.flowingAt).toBeLessThan(5000);
  });
});
