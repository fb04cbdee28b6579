// One of three brokers killed (SIGKILL) or hung (SIGSTOP, then SIGCONT) under acks=all load, through our
// Producer (librdkafka's defaults otherwise) and a ServerRdKafka app consuming. Needs the embedded 3-node
// cluster, which scripts/run-tests.mjs starts for test/integration/faults/cluster-* (npm test, npm run
// test:faults); by hand: `npm run kafka:start -- --cluster`.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Consumer, Producer, type RdKafkaContext, ServerRdKafka, TopicPartition } from '../../../lib/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { hangUntilResumed } from '../helpers/broker-process.js';
import { type EmbeddedCluster, embeddedCluster, killNode, restartNode } from '../helpers/embedded-cluster.js';
import { checkSequence, type HandledRecord, type LoadResult, maxGap, produceAtRate, type SeqRecord } from '../helpers/fault-load.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics } from '../helpers/topics.js';
import { waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = { kill: `fault-kill-${RUN}`, hang: `fault-hang-${RUN}` };
const GROUP = `faults-${RUN}`;
const OFFSETS_TOPIC = '__consumer_offsets';
/**
 * About 20 s of load at 200 records/s; the broker fails at a quarter of it and is back at three quarters (10 s
 * later: the controller fences a silent broker after 4 s, broker.session.timeout.ms of the embedded cluster).
 */
const COUNT = 4000;
const RATE = 200;
const FAULT_AT = COUNT / 4;
const BACK_AT = (3 * COUNT) / 4;
const handled: Record<keyof typeof T, HandledRecord[]> = { kill: [], hang: [] };

/** When a broker failed and when it was back (restarted, or SIGCONT). */
interface Fault {
  what: string;
  at: number;
  back: number;
}

const record = (d: SeqRecord, ctx: RdKafkaContext): HandledRecord => ({
  seq: d.seq,
  at: Date.now(),
  partition: ctx.getPartition(),
  offset: ctx.getOffset(),
});

@Controller()
class LoadController {
  @EventPattern<string>(T.kill)
  kill(@Payload() d: SeqRecord, @Ctx() ctx: RdKafkaContext): void {
    handled.kill.push(record(d, ctx));
  }

  @EventPattern<string>(T.hang)
  hang(@Payload() d: SeqRecord, @Ctx() ctx: RdKafkaContext): void {
    handled.hang.push(record(d, ctx));
  }
}

@Module({ controllers: [LoadController] })
class LoadModule {}

describe('one of three brokers killed or hung under acks=all load (embedded 3-node cluster)', () => {
  let cluster: EmbeddedCluster;
  let app: INestMicroservice;
  let producer: Producer;
  const logger = new CaptureLogger();

  beforeAll(async () => {
    cluster = await embeddedCluster();
    await createTopics(Object.values(T), 3, {
      bootstrapServers: cluster.bootstrapServers,
      replicationFactor: 3,
      config: { 'min.insync.replicas': '2' },
    });
    app = await listeningMicroservice(
      LoadModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': cluster.bootstrapServers },
        consumer: { 'group.id': GROUP },
        postfixId: '',
        logger,
      }),
      false,
    );
    // message.timeout.ms only bounds the run (librdkafka's 300 s would outlast the test): a record the cluster
    // cannot take within a minute counts as a delivery error.
    producer = new Producer({ 'bootstrap.servers': cluster.bootstrapServers, acks: -1, 'message.timeout.ms': 60_000 });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.close(5000);
    await app?.close();
  });

  /** The broker leading partition 0 of the topic: its records must move to another leader. */
  async function leaderOf(topic: string): Promise<number> {
    const md = await producer.listTopics(topic, 10_000);
    const leader = md.topics.get(topic)?.partitions.get(0)?.leader ?? -1;
    if (leader < 1) throw new Error(`${topic} partition 0 has no leader`);
    return leader;
  }

  /** The partitions of `topic` that `broker` leads, for the report. */
  async function ledBy(topic: string, broker: number): Promise<string> {
    const partitions = (await producer.listTopics(topic, 10_000)).topics.get(topic)?.partitions ?? new Map();
    const led = [...partitions.values()].filter((p) => p.leader === broker).map((p) => p.id);
    return led.length ? `partition ${led.join(', ')}` : 'no partition';
  }

  /**
   * The app's group coordinator, where commits and heartbeats go: the leader of the __consumer_offsets partition
   * the broker maps the group to (Java's String.hashCode, sign bit cleared, modulo the partition count).
   */
  async function coordinatorOf(group: string): Promise<number> {
    let hash = 0;
    for (const c of group) hash = (Math.imul(31, hash) + c.charCodeAt(0)) | 0;
    // On a fresh cluster the offsets topic is created when the first group looks for its coordinator, which
    // the app's consumer may not have done yet: wait for it (bounded) rather than read an empty topic.
    for (let attempt = 0; attempt < 60; attempt++) {
      const partitions = (await producer.listTopics(OFFSETS_TOPIC, 10_000)).topics.get(OFFSETS_TOPIC)?.partitions ?? new Map();
      const leader = partitions.size ? (partitions.get((hash & 0x7fffffff) % partitions.size)?.leader ?? -1) : -1;
      if (leader >= 1) return leader;
      await sleep(500);
    }
    throw new Error(`no coordinator for group ${group} after 30 s`);
  }

  /**
   * Waits for every record to be handled, then a little longer for late duplicates, and reports. Both sides must
   * have recovered while the broker was still away: no gap as long as the outage.
   */
  async function expectEveryRecordOnce(name: keyof typeof T, fault: Fault, load: LoadResult): Promise<void> {
    await waitFor(() => new Set(handled[name].map((h) => h.seq)).size >= COUNT, 90_000, `every ${name} record handled`).catch(() => {});
    await sleep(2000);
    const report = checkSequence(COUNT, handled[name]);
    const produceGap = maxGap(load.deliveredAt, fault.at);
    const consumeGap = maxGap(
      handled[name].map((h) => h.at),
      fault.at,
    );
    const outage = fault.back - fault.at;
    process.stdout.write(
      `[faults] ${fault.what} for ${outage} ms: produced ${COUNT} (${load.errors.size} delivery errors), handled ${report.handled} ` +
        `(${report.unique} unique), lost ${report.lost}, duplicated ${report.duplicated} (${report.redelivered} redelivered, ${report.writtenTwice} written twice), ` +
        `reordered keys ${report.reordered.length} (${report.reorderedInLog.length} in the log); ` +
        `time to recover: max produce-delivery gap ${produceGap} ms, max consumer gap ${consumeGap} ms\n`,
    );
    expect([...load.errors.values()].slice(0, 3)).toEqual([]);
    expect(report).toEqual({
      handled: COUNT,
      unique: COUNT,
      lost: 0,
      duplicated: 0,
      redelivered: 0,
      writtenTwice: 0,
      reordered: [],
      reorderedInLog: [],
    });
    expect(Math.max(produceGap, consumeGap)).toBeLessThan(outage);
  }

  /**
   * The group committed up to the end of every partition: commits recovered too, so a restart would not replay
   * what was handled (bounded wait; the server commits every second).
   */
  async function expectCommittedToEnd(name: keyof typeof T): Promise<void> {
    const probe = new Consumer({ 'bootstrap.servers': cluster.bootstrapServers, 'group.id': GROUP });
    await probe.connect();
    try {
      const partitions = [0, 1, 2].map((p) => new TopicPartition(T[name], p));
      const ends = await Promise.all(partitions.map(async (tp) => (await probe.getWatermarkOffsets(tp))[1]));
      let committed: number[] = [];
      for (let i = 0; i < 100 && committed.join() !== ends.join(); i++) {
        if (i) await sleep(200);
        committed = (await probe.committed(partitions, 10_000)).map((tp) => tp.offset);
      }
      expect(committed).toEqual(ends);
    } finally {
      await probe.close();
    }
  }

  it('loses, duplicates and reorders nothing when the leader of partition 0 is SIGKILLed mid-load, then restarted', async () => {
    const victim = await leaderOf(T.kill);
    const fault: Fault = {
      what: `broker ${victim} (leader of ${await ledBy(T.kill, victim)}${victim === (await coordinatorOf(GROUP)) ? ', group coordinator' : ''}) SIGKILLed`,
      at: 0,
      back: 0,
    };
    let killed: Promise<void> | undefined;
    let restarted: Promise<void> | undefined;
    try {
      const load = await produceAtRate(producer, T.kill, COUNT, RATE, (seq) => {
        if (seq === FAULT_AT) {
          fault.at = Date.now();
          killed = killNode(cluster.pids[victim - 1]);
        }
        // Back for the last quarter, so the restarted broker catches up and rejoins while records still flow.
        if (seq === BACK_AT) {
          fault.back = Date.now();
          restarted = restartNode(victim);
        }
      });
      await killed;
      await expectEveryRecordOnce('kill', fault, load);
      await expectCommittedToEnd('kill');
    } finally {
      await (restarted ?? restartNode(victim));
    }
  }, 240_000);

  it('loses, duplicates and reorders nothing when the group coordinator hangs (SIGSTOP) mid-load, then resumes', async () => {
    cluster = await embeddedCluster();
    const victim = await coordinatorOf(GROUP);
    const pid = cluster.pids[victim - 1];
    const fault: Fault = {
      what: `broker ${victim} (group coordinator, leader of ${await ledBy(T.hang, victim)}) hung (SIGSTOP)`,
      at: 0,
      back: 0,
    };
    let resume = (): void => undefined;
    try {
      const load = await produceAtRate(producer, T.hang, COUNT, RATE, (seq) => {
        if (seq === FAULT_AT) {
          fault.at = Date.now();
          resume = hangUntilResumed(pid!);
        }
        if (seq === BACK_AT) {
          fault.back = Date.now();
          resume();
        }
      });
      await expectEveryRecordOnce('hang', fault, load);
      await expectCommittedToEnd('hang');
    } finally {
      resume();
    }
  }, 240_000);
});
