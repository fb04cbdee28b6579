import { createServer, type Server } from 'node:net';
import {
  AdminClient,
  ConfigEntry,
  ConfigResource,
  ConsumerGroupTopicPartitions,
  ElectionType,
  NewPartitions,
  NewTopic,
  OffsetSpec,
  ResourceType,
} from '../../../lib/admin/index.js';
import { TopicPartition } from '../../../lib/client/topic-partition.js';
import { fromAdminError } from '../../../lib/admin/admin-error.mapper.js';
import { outageOrTimeout } from '../../../lib/admin/backend/broker-probe.js';
import { routeKafkaTsLogs } from '../../../lib/admin/backend/kafka-ts-logging.js';
import type { KafkaTsModule } from '../../../lib/admin/backend/kafka-ts.types.js';
import { ErrorCode, KafkaException } from '../../../lib/errors/index.js';

/** Nothing listens on port 1: a client that tried to (re)connect would wait for its timeout, not fail at once. */
const CONFIG = { 'bootstrap.servers': '127.0.0.1:1', 'request.timeout.ms': 20_000 };

/** Every operation, one per backend path, as thunks returning the promise the caller awaits. */
function everyOperation(admin: AdminClient): Record<string, () => Promise<unknown>> {
  const tp = new TopicPartition('t', 0, 1);
  const resource = new ConfigResource(ResourceType.TOPIC, 't', { 'retention.ms': '1' });
  const incremental = new ConfigResource(ResourceType.TOPIC, 't');
  incremental.addIncrementalConfig(new ConfigEntry('retention.ms', '1'));
  return {
    createTopics: () => admin.createTopics([new NewTopic('t')]).get('t')!,
    'createTopics(validateOnly)': () => admin.createTopics([new NewTopic('t')], { validateOnly: true }).get('t')!,
    deleteTopics: () => admin.deleteTopics(['t']).get('t')!,
    createPartitions: () => admin.createPartitions([new NewPartitions('t', 3)]).get('t')!,
    listTopics: () => admin.listTopics(),
    describeConfigs: () => admin.describeConfigs([resource]).get(resource)!,
    incrementalAlterConfigs: () => admin.incrementalAlterConfigs([incremental]).get(incremental)!,
    listConsumerGroups: () => admin.listConsumerGroups(),
    listGroups: () => admin.listGroups(),
    describeConsumerGroups: () => admin.describeConsumerGroups(['g']).get('g')!,
    deleteConsumerGroups: () => admin.deleteConsumerGroups(['g']).get('g')!,
    listConsumerGroupOffsets: () => admin.listConsumerGroupOffsets([new ConsumerGroupTopicPartitions('g')]).get('g')!,
    alterConsumerGroupOffsets: () => admin.alterConsumerGroupOffsets([new ConsumerGroupTopicPartitions('g', [tp])]).get('g')!,
    copyConsumerGroupOffsets: () => admin.copyConsumerGroupOffsets('a', 'b'),
    listOffsets: () => admin.listOffsets(new Map([[tp, OffsetSpec.latest()]])).get(tp)!,
    deleteRecords: () => admin.deleteRecords([tp]).get(tp)!,
    electLeaders: () => admin.electLeaders(ElectionType.PREFERRED, null),
    describeUserScramCredentials: () => admin.describeUserScramCredentials(),
    connect: () => admin.connect(),
  };
}

describe('AdminClient.close(): one rule for every backend', () => {
  it('after close(), every operation rejects at once with _STATE "… the admin client is closed"', async () => {
    const admin = new AdminClient(CONFIG);
    await admin.close();
    for (const [name, run] of Object.entries(everyOperation(admin))) {
      const started = Date.now();
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect({ name, error }).toMatchObject({ name, error: expect.any(KafkaException) });
      expect({ name, code: (error as KafkaException).code }).toEqual({ name, code: ErrorCode._STATE });
      expect((error as Error).message).toMatch(/the admin client is closed/);
      expect({ name, fast: Date.now() - started < 200 }).toEqual({ name, fast: true });
    }
  });

  it('is idempotent, resolves while operations are in flight, and never rejects', async () => {
    const admin = new AdminClient(CONFIG);
    const inFlight = admin.describeConsumerGroups(['g']).get('g')!;
    await expect(Promise.all([admin.close(), admin.close()])).resolves.toEqual([undefined, undefined]);
    await expect(admin.close()).resolves.toBeUndefined();
    await expect(inFlight).rejects.toBeInstanceOf(KafkaException);
  });
});

describe('admin failures: one code per kind, whatever the backend', () => {
  it('an outage is _TRANSPORT on kafkajs, kafka-ts, Node sockets and librdkafka alike', () => {
    const kafkajsNoBroker = Object.assign(new Error('no broker'), { name: 'KafkaJSNoBrokerAvailableError' });
    expect(fromAdminError(kafkajsNoBroker).code).toBe(ErrorCode._TRANSPORT);
    expect(fromAdminError(Object.assign(new Error('Connection to 127.0.0.1:1 timed out'), { name: 'ConnectionError' })).code).toBe(
      ErrorCode._TRANSPORT,
    );
    expect(fromAdminError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'ConnectionError' })).code).toBe(
      ErrorCode._TRANSPORT,
    );
    expect(fromAdminError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe(ErrorCode._TRANSPORT);
    expect(fromAdminError(new KafkaException(ErrorCode._ALL_BROKERS_DOWN)).code).toBe(ErrorCode._TRANSPORT);
    expect(fromAdminError({ message: 'Local: All broker connections are down', code: ErrorCode._ALL_BROKERS_DOWN }).code).toBe(
      ErrorCode._TRANSPORT,
    );
  });

  it('a slow answer is _TIMED_OUT, a refused login _AUTHENTICATION, a missing API _UNSUPPORTED_FEATURE', () => {
    expect(fromAdminError(Object.assign(new Error('ListGroups timed out'), { name: 'ConnectionError' })).code).toBe(ErrorCode._TIMED_OUT);
    expect(
      fromAdminError(Object.assign(new Error('bad pw'), { name: 'KafkaTSApiError', errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED })).code,
    ).toBe(ErrorCode._AUTHENTICATION);
    expect(fromAdminError(new Error('Broker does not support API ConsumerGroupDescribe')).code).toBe(ErrorCode._UNSUPPORTED_FEATURE);
    expect(
      fromAdminError(Object.assign(new Error('denied'), { name: 'KafkaTSApiError', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })).code,
    ).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  });

  describe('librdkafka timeouts: outage or slow broker', () => {
    let server: Server;
    let port = 0;
    beforeAll(async () => {
      server = createServer((s) => s.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('a timeout with no bootstrap server accepting a connection becomes _TRANSPORT naming them', async () => {
      const timedOut = new KafkaException(ErrorCode._TIMED_OUT, 'Failed while waiting for controller');
      const e = await outageOrTimeout(timedOut, { 'bootstrap.servers': '127.0.0.1:1' }, 'createTopics');
      expect(e.code).toBe(ErrorCode._TRANSPORT);
      expect(e.message).toMatch(/createTopics: no broker reachable \(127\.0\.0\.1:1 ECONNREFUSED\)/);
    });

    it('a timeout while a broker accepts connections stays _TIMED_OUT; other errors pass unchanged', async () => {
      const timedOut = new KafkaException(ErrorCode._TIMED_OUT);
      expect(await outageOrTimeout(timedOut, { 'bootstrap.servers': `127.0.0.1:1,127.0.0.1:${port}` }, 'op')).toBe(timedOut);
      const other = new KafkaException(ErrorCode.TOPIC_ALREADY_EXISTS);
      expect(await outageOrTimeout(other, { 'bootstrap.servers': '127.0.0.1:1' }, 'op')).toBe(other);
    });
  });
});

describe('kafka-ts logs', () => {
  it("go to the registered admin loggers (info as debug), never to kafka-ts's stdout default, and stop on close", () => {
    let installed: Parameters<KafkaTsModule['setLogger']>[0] | undefined;
    const kts = { setLogger: (l: typeof installed) => (installed = l) } as unknown as KafkaTsModule;
    const lines: string[] = [];
    const logger = {
      error: (m: string) => lines.push(`error ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      debug: (m: string) => lines.push(`debug ${m}`),
    };
    const unroute = routeKafkaTsLogs(kts, logger);
    installed!.error('Connection failed', { host: '127.0.0.1' });
    installed!.info('Connected');
    installed!.warn('Retrying');
    expect(lines).toEqual([
      'error [kafka-ts] Connection failed {"host":"127.0.0.1"}',
      'debug [kafka-ts] Connected',
      'warn [kafka-ts] Retrying',
    ]);
    unroute();
    installed!.error('after close');
    expect(lines).toHaveLength(3);
  });
});
