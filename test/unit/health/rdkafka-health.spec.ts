import { BehaviorSubject } from 'rxjs';
import type { ClusterMetadata } from '../../../lib/client/cluster-metadata.js';
import {
  ClientState,
  ErrorCode,
  KafkaError,
  KafkaException,
  MissingDependencyError,
  RdKafkaStatus,
  TopicPartition,
} from '../../../lib/index.js';
import { RdKafkaHealthIndicator } from '../../../lib/health/index.js';
import { type ProgressConsumer, ConsumerProgress } from '../../../lib/health/consumer-progress.js';
import type { MetadataClient, RdKafkaHealthSources } from '../../../lib/health/rdkafka.health.js';
import { RdKafkaClientMonitor } from '../../../lib/module/rdkafka-client.monitor.js';

const OPTIONS = { stallTimeoutMs: 1000, unassignedTimeoutMs: 5000, requireAssignment: true, timeoutMs: 100 };

/** A consumer whose assignment, committed offsets and watermarks the test sets. */
class FakeConsumer implements ProgressConsumer {
  assigned: TopicPartition[] = [];
  committedOffset = -1001;
  positionOffset = -1001;
  high = 10;
  low = 0;
  assignment(): TopicPartition[] {
    return this.assigned;
  }
  async committed(tps: { topic: string; partition: number }[]): Promise<TopicPartition[]> {
    return tps.map((tp) => new TopicPartition(tp.topic, tp.partition, this.committedOffset));
  }
  position(tps?: { topic: string; partition: number }[]): TopicPartition[] {
    return (tps ?? []).map((tp) => new TopicPartition(tp.topic, tp.partition, this.positionOffset));
  }
  /** Whether a watermark request that goes to the leader (not the cache) is answered. */
  leaderAnswers = true;
  async getWatermarkOffsets(_tp: TopicPartition, o?: { cached?: boolean }): Promise<[number, number]> {
    if (!o?.cached && !this.leaderAnswers) throw new KafkaException(ErrorCode._TIMED_OUT, 'Local: Timed out');
    return [this.low, this.high];
  }
}

const ONE_BROKER = { brokers: new Map([[1, { id: 1, host: '127.0.0.1', port: 9092 }]]), topics: new Map() } as unknown as ClusterMetadata;

/** A librdkafka client answering metadata requests as the test says: at once, never, or with an error. */
class FakeMetadataClient implements MetadataClient {
  asked = 0;
  constructor(
    public state: ClientState = ClientState.CONNECTED,
    private readonly answer: 'ok' | 'hang' | Error = 'ok',
  ) {}
  listTopics(_topic: undefined, timeoutMs: number): Promise<ClusterMetadata> {
    this.asked++;
    if (this.answer === 'ok') return Promise.resolve(ONE_BROKER);
    const err = this.answer === 'hang' ? new KafkaException(ErrorCode._TIMED_OUT, 'Local: Timed out') : this.answer;
    return new Promise((_, reject) => setTimeout(() => reject(err), this.answer === 'hang' ? timeoutMs : 0));
  }
}

function producerOf(client: MetadataClient): RdKafkaHealthSources['producer'] {
  return { state: client.state, pending: 0, unwrap: () => client };
}

function sources(over: Partial<RdKafkaHealthSources> = {}): RdKafkaHealthSources {
  return {
    monitor: new RdKafkaClientMonitor(),
    producer: producerOf(new FakeMetadataClient()),
    server: {
      unwrap: <T>() => {
        throw new Error(`not listening ${String(undefined as T)}`);
      },
      statusReason: null,
    },
    options: OPTIONS,
    autoOffsetReset: 'earliest',
    ...over,
  };
}

describe('ConsumerProgress', () => {
  const tp = new TopicPartition('t', 0);

  it('marks a partition stalled only after its offset stayed put with lag for the whole time', async () => {
    const consumer = new FakeConsumer();
    consumer.assigned = [tp];
    consumer.committedOffset = 4;
    const progress = new ConsumerProgress(true);
    expect((await progress.sample(consumer, 100, 0)).partitions[0]).toMatchObject({ offset: 4, lag: 6, stalledForMs: 0 });
    expect((await progress.sample(consumer, 100, 1500)).partitions[0].stalledForMs).toBe(1500);
    consumer.committedOffset = 5;
    expect((await progress.sample(consumer, 100, 1600)).partitions[0].stalledForMs).toBe(0);
    consumer.committedOffset = 10;
    expect((await progress.sample(consumer, 100, 9000)).partitions[0]).toMatchObject({ lag: 0, stalledForMs: 0 });
  });

  it('starts the stall clock when lag is first seen, not at the last check without lag', async () => {
    const consumer = new FakeConsumer();
    consumer.assigned = [tp];
    consumer.committedOffset = 10;
    const progress = new ConsumerProgress(true);
    expect((await progress.sample(consumer, 100, 0)).partitions[0]).toMatchObject({ lag: 0, stalledForMs: 0 });
    consumer.high = 13; // new records arrive long after the last check, and their handler hangs
    expect((await progress.sample(consumer, 100, 60_000)).partitions[0]).toMatchObject({ lag: 3, stalledForMs: 0 });
    expect((await progress.sample(consumer, 100, 61_000)).partitions[0].stalledForMs).toBe(1000);
  });

  it('counts from the low watermark before the first commit when starting at the earliest offset, else from the position', async () => {
    const consumer = new FakeConsumer();
    consumer.assigned = [tp];
    consumer.positionOffset = 10;
    consumer.low = 2;
    expect((await new ConsumerProgress(true).sample(consumer, 100, 0)).lag).toBe(8);
    expect((await new ConsumerProgress(false).sample(consumer, 100, 0)).lag).toBe(0);
  });

  it('falls back to the fetch positions when the coordinator does not answer (a hung broker), and says so', async () => {
    const consumer = new FakeConsumer();
    consumer.assigned = [tp];
    consumer.positionOffset = 7;
    consumer.committed = () => Promise.reject(new KafkaException(ErrorCode._TIMED_OUT, 'Local: Timed out'));
    consumer.high = -1;
    consumer.low = -1;
    consumer.leaderAnswers = false;
    const sample = await new ConsumerProgress(true).sample(consumer, 100, 0);
    expect(sample).toMatchObject({ assigned: 1, committedUnknown: true, lag: 0 });
    expect(sample.partitions[0]).toMatchObject({ offset: 7, lag: 0, stalledForMs: 0 });
  });

  it('measures how long the consumer has had no partition', async () => {
    const consumer = new FakeConsumer();
    const progress = new ConsumerProgress(true);
    expect((await progress.sample(consumer, 100, 1000)).unassignedForMs).toBe(0);
    expect((await progress.sample(consumer, 100, 4000)).unassignedForMs).toBe(3000);
    consumer.assigned = [tp];
    consumer.committedOffset = 10;
    expect((await progress.sample(consumer, 100, 5000)).unassignedForMs).toBe(0);
  });
});

describe('RdKafkaHealthIndicator', () => {
  it('rejects with MissingDependencyError when @nestjs/terminus is not installed, and report() still works', async () => {
    const notFound = Object.assign(new Error("Cannot find package '@nestjs/terminus'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const indicator = new RdKafkaHealthIndicator(sources({ importTerminus: () => Promise.reject(notFound) }));
    const err = await indicator.isHealthy().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MissingDependencyError);
    expect(err).toMatchObject({
      name: 'MissingDependencyError',
      packageName: '@nestjs/terminus',
      feature: 'RdKafkaHealthIndicator',
      cause: notFound,
    });
    expect((err as Error).message).toBe(
      'RdKafkaHealthIndicator needs the optional package "@nestjs/terminus": npm install @nestjs/terminus',
    );
    expect((await indicator.report()).healthy).toBe(true);
  });

  it('passes on other import failures unchanged', async () => {
    const broken = new SyntaxError('bad module');
    const indicator = new RdKafkaHealthIndicator(sources({ importTerminus: () => Promise.reject(broken) }));
    await expect(indicator.isHealthy()).rejects.toBe(broken);
  });

  it('is up with reachable brokers and no server listening', async () => {
    const result = await new RdKafkaHealthIndicator(sources()).isHealthy('kafka');
    expect(result.kafka).toMatchObject({ status: 'up', brokers: { reachable: true, count: 1 }, consumer: null, problems: [] });
  });

  it("is down when no broker answers the application's clients", async () => {
    const result = await new RdKafkaHealthIndicator(
      sources({ producer: producerOf(new FakeMetadataClient(ClientState.CONNECTED, 'hang')) }),
    ).isHealthy('k');
    expect(result.k.status).toBe('down');
    expect(result.k).toMatchObject({ brokers: { reachable: false, count: 0 } });
    expect(String((result.k.problems as string[])[0])).toBe(
      'brokers unreachable: no answer to 1 client(s) within 100 ms: KafkaException: KafkaError{code=_TIMED_OUT,val=-185,str="Local: Timed out"}',
    );
  });

  it("is up when any of the application's clients reaches the cluster (one hung broker is not the cluster)", async () => {
    const monitor = new RdKafkaClientMonitor();
    monitor.watchServer({ status: new BehaviorSubject<RdKafkaStatus>(RdKafkaStatus.CONNECTED) });
    const consumer = Object.assign(new FakeConsumer(), new FakeMetadataClient(ClientState.CONNECTED, 'hang'));
    const serverProducer = new FakeMetadataClient();
    const stuck = new FakeMetadataClient(ClientState.CONNECTED, 'hang');
    const server = {
      unwrap: <T>() => [Object.assign(consumer, { listTopics: stuck.listTopics.bind(stuck) }), serverProducer] as T,
      statusReason: null,
    };
    const report = await new RdKafkaHealthIndicator(
      sources({ monitor, server, producer: producerOf(new FakeMetadataClient(ClientState.CONNECTED, 'hang')) }),
    ).report();
    expect(report).toMatchObject({ healthy: true, brokers: { reachable: true, count: 1 } });
    expect([stuck.asked, serverProducer.asked]).toEqual([1, 1]);
  });

  it('asks only connected clients, and is down with the reason when none is', async () => {
    const closed = new FakeMetadataClient(ClientState.CLOSED);
    const report = await new RdKafkaHealthIndicator(sources({ producer: producerOf(closed) })).report();
    expect(closed.asked).toBe(0);
    expect(report.healthy).toBe(false);
    expect(report.problems).toContain('brokers unknown: no client of the module is connected');
  });

  it('is down after the producer reported a fatal error through error_cb, and the user callback still runs', async () => {
    const monitor = new RdKafkaClientMonitor();
    const seen: KafkaError[] = [];
    const config = monitor.configFor('producer', { 'bootstrap.servers': 'x', error_cb: (e) => seen.push(e) });
    config.error_cb!(new KafkaError(ErrorCode._TRANSPORT, 'broker down'));
    expect((await new RdKafkaHealthIndicator(sources({ monitor })).report()).healthy).toBe(true);
    config.error_cb!(new KafkaError(ErrorCode._FENCED, 'fenced by a newer instance', { fatal: true }));
    const report = await new RdKafkaHealthIndicator(sources({ monitor })).report();
    expect(report.healthy).toBe(false);
    expect(report.producer.fatalError).toContain('fenced');
    expect(seen).toHaveLength(2);
  });

  it('is down when the server crashed, and checks the consumer while it listens', async () => {
    const monitor = new RdKafkaClientMonitor();
    const status = new BehaviorSubject<RdKafkaStatus>(RdKafkaStatus.CONNECTED);
    monitor.watchServer({ status });
    const consumer = new FakeConsumer();
    consumer.assigned = [new TopicPartition('t', 0)];
    consumer.committedOffset = 10;
    const indicator = new RdKafkaHealthIndicator(
      sources({ monitor, server: { unwrap: <T>() => [consumer, null] as T, statusReason: null } }),
    );
    expect(await indicator.report()).toMatchObject({ healthy: true, consumer: { assigned: 1, lag: 0, status: 'connected' } });
    status.next(RdKafkaStatus.UNAUTHORIZED);
    const refused = new RdKafkaHealthIndicator(
      sources({ monitor, server: { unwrap: <T>() => [consumer, null] as T, statusReason: 'Not authorized to read topic t' } }),
    );
    expect(await refused.report()).toMatchObject({
      healthy: false,
      problems: ['server unauthorized: Not authorized to read topic t'],
      consumer: { assigned: 1 },
    });
    status.next(RdKafkaStatus.CRASHED);
    expect(await indicator.report()).toMatchObject({ healthy: false, problems: ['server crashed'], consumer: null });
  });
});
