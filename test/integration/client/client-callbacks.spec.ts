import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ErrorCode, KafkaError, Producer, type KafkaLogger } from '../../../lib/index.js';
import { ThrottleEvent } from '../../../lib/client/index.js';
import { pollUntil, testConsumer } from '../helpers/client-helpers.js';
import { bootstrapServers, uniqueTopic } from '../helpers/kafka-env.js';
import { createTopic } from '../helpers/topics.js';

function recordingLogger() {
  const lines: Array<[level: string, message: string]> = [];
  const at = (level: string) => (message: unknown) => void lines.push([level, String(message)]);
  const logger: KafkaLogger = { log: at('log'), warn: at('warn'), error: at('error'), debug: at('debug'), verbose: at('verbose') };
  return { logger, lines };
}

const until = async (cond: () => boolean, timeoutMs = 20_000) => {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('configuration callbacks', () => {
  it('delivers stats JSON to stats_cb every statistics.interval.ms', async () => {
    const stats: string[] = [];
    const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'statistics.interval.ms': 200, stats_cb: (j) => stats.push(j) });
    await p.connect();
    await until(() => stats.length >= 2);
    const parsed = JSON.parse(stats[0]!) as { type: string; brokers: object };
    expect(parsed.type).toBe('producer');
    expect(parsed.brokers).toBeDefined();
    await p.close();
  });

  it("routes librdkafka's logs to the logger with levels mapped, and the deprecation of default.topic.config", async () => {
    const { logger, lines } = recordingLogger();
    const p = new Producer({ 'bootstrap.servers': bootstrapServers(), debug: 'broker', logger, 'default.topic.config': { acks: 'all' } });
    await p.connect();
    await until(() => lines.some(([level]) => level === 'debug'));
    expect(lines.find(([level]) => level === 'warn')?.[1]).toMatch(/default.topic.config.*deprecated/);
    expect(lines.some(([, m]) => m.includes('[BROKER]') || m.includes('['))).toBe(true);
    await p.close();
  });

  it('calls error_cb with the recovered librdkafka code when brokers are unreachable', async () => {
    const errors: KafkaError[] = [];
    const c = testConsumer({ 'bootstrap.servers': '127.0.0.1:1', error_cb: (e) => errors.push(e) });
    // connect() itself fails against a dead broker; error_cb gets the global errors meanwhile.
    await c.connect(3000).catch(() => undefined);
    await until(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(KafkaError);
    expect([ErrorCode._TRANSPORT, ErrorCode._ALL_BROKERS_DOWN]).toContain(errors[0]!.code);
    await c.close();
  });

  it('keeps running when a user callback throws', async () => {
    const { logger, lines } = recordingLogger();
    const p = new Producer({
      'bootstrap.servers': bootstrapServers(),
      logger,
      on_delivery: () => {
        throw new Error('boom');
      },
    });
    await p.connect();
    const topic = uniqueTopic('cb-throws');
    await createTopic(topic);
    p.produce(topic, 'x');
    expect(await p.flush(10_000)).toBe(0);
    expect(lines.some(([level, m]) => level === 'error' && m.includes('on_delivery callback threw: Error: boom'))).toBe(true);
    await p.close();
  });
});

describe('throttle_cb', () => {
  it('reports a ThrottleEvent when a client quota holds the producer back', async () => {
    const clientId = `throttled-${Date.now()}`;
    // Client quotas are set with Kafka's own tool, from the broker jars the project fetched.
    const libs = path.resolve('.cache/kafka/libs');
    const r = spawnSync(
      'java',
      [
        '-cp',
        `${libs}/*`,
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        bootstrapServers(),
        '--alter',
        '--add-config',
        'producer_byte_rate=1024',
        '--entity-type',
        'clients',
        '--entity-name',
        clientId,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).not.toMatch(/Exception/);
    const topic = uniqueTopic('throttle');
    await createTopic(topic);
    const events: ThrottleEvent[] = [];
    const p = new Producer({ 'bootstrap.servers': bootstrapServers(), 'client.id': clientId, throttle_cb: (e) => events.push(e) });
    await p.connect();
    const deadline = Date.now() + 30_000;
    while (events.length === 0 && Date.now() < deadline) {
      for (let i = 0; i < 50; i++) p.produce(topic, Buffer.alloc(1000));
      await p.flush(5000);
    }
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toBeInstanceOf(ThrottleEvent);
    expect(events[0]!.throttleTime).toBeGreaterThan(0);
    expect(events[0]!.brokerId).toBe(1);
    expect(events[0]!.toString()).toMatch(/\/1 throttled for \d+ ms$/);
    await p.close();
  });
});

describe('rebalance callbacks', () => {
  it('calls onAssign and onRevoke as a second consumer joins the group, with no partition owned twice', async () => {
    const topic = uniqueTopic('rebalance');
    await createTopic(topic, 4);
    const group = uniqueTopic('group');
    const owned = [new Set<number>(), new Set<number>()];
    const calls: string[] = [];
    const make = (i: number) => {
      const c = testConsumer({ 'group.id': group });
      return {
        c,
        cbs: {
          onAssign: async (_: unknown, tps: { partition: number }[]) => {
            calls.push(`assign${i}:${tps.length}`);
            for (const tp of tps) owned[i]!.add(tp.partition);
          },
          onRevoke: async (_: unknown, tps: { partition: number }[]) => {
            calls.push(`revoke${i}:${tps.length}`);
            for (const tp of tps) owned[i]!.delete(tp.partition);
          },
        },
      };
    };
    const a = make(0);
    const b = make(1);
    await a.c.connect();
    a.c.subscribe([topic], a.cbs);
    await pollUntil([a.c], () => owned[0]!.size === 4);
    await b.c.connect();
    b.c.subscribe([topic], b.cbs);
    await pollUntil([a.c, b.c], () => owned[0]!.size === 2 && owned[1]!.size === 2);
    expect([...owned[0]!].filter((p) => owned[1]!.has(p))).toEqual([]);
    expect(calls).toContain('revoke0:4');
    expect(
      a.c
        .assignment()
        .map((tp) => tp.partition)
        .sort(),
    ).toEqual([...owned[0]!].sort());
    await b.c.close();
    await pollUntil([a.c], () => owned[0]!.size === 4);
    await a.c.close();
  });
});
