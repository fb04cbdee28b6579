import { AdminClient, NewTopic, settleResults } from '../../lib/admin/index.js';
import { waitFor } from './helpers/admin-env.js';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';

const CREATIONS = 200;
const CONCURRENCY = 4;

describe('AdminClient.createTopics: no spurious failures', () => {
  let admin: AdminClient;
  const created: string[] = [];

  beforeAll(() => {
    admin = new AdminClient({ 'bootstrap.servers': bootstrapServers() });
  });

  afterAll(async () => {
    for (let i = 0; i < created.length; i += 50) await settleResults(admin.deleteTopics(created.slice(i, i + 50)));
    await admin.close();
  });

  it(`creates ${CREATIONS} topics in a bounded loop, every one fulfilled, all in the metadata soon after`, async () => {
    const failures: string[] = [];
    const durations: number[] = [];
    const started = Date.now();
    // A bounded loop: CREATIONS topics, CONCURRENCY at a time, one call per topic as the module's provisioning does.
    for (let i = 0; i < CREATIONS; i += CONCURRENCY) {
      const names = Array.from({ length: Math.min(CONCURRENCY, CREATIONS - i) }, () => uniqueTopic('adm-loop'));
      await Promise.all(
        names.map(async (name) => {
          const t0 = Date.now();
          const outcome = await admin
            .createTopics([new NewTopic(name, { numPartitions: 3 })])
            .get(name)!
            .then(
              () => null,
              (e: Error) => e.message,
            );
          durations.push(Date.now() - t0);
          if (outcome === null) created.push(name);
          else failures.push(`${name}: ${outcome}`);
        }),
      );
    }
    const total = Date.now() - started;
    const sorted = [...durations].sort((a, b) => a - b);
    const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
    process.stdout.write(
      `createTopics loop: ${CREATIONS} creations, ${failures.length} failures, ${total} ms total, ` +
        `per call p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${sorted.at(-1)} ms\n`,
    );
    expect(failures).toEqual([]);
    // The create call's answer is the controller's (as librdkafka's and Java's are); broker metadata follows
    // within moments, and the topics are all there with their partitions.
    await waitFor(async () => {
      const { topics } = await admin.listTopics();
      return created.every((name) => topics.get(name)?.partitions.length === 3);
    }, 15_000);
  }, 300_000);
});
