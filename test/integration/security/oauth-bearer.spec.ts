import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  ClientRdKafka,
  Consumer,
  ErrorCode,
  KafkaException,
  Producer,
  RdKafkaModule,
  RdKafkaProducerService,
  ServerRdKafka,
  TopicPartition,
  type KafkaError,
} from '../../../lib/index.js';
import { OffsetSpec, RdKafkaAdminService } from '../../../lib/admin/index.js';
import { uniqueTopic } from '../helpers/kafka-env.js';
import { listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';
import { oauthConfig, unsecuredToken } from './oauth-env.js';

/** Short-lived tokens: the broker ends a session when its token expires unless the client re-authenticated. */
const TOKEN_LIFETIME_MS = 4_000;

/** An oauth_cb that counts its calls. */
function countingProvider(
  sub: string,
  lifetimeMs = TOKEN_LIFETIME_MS,
): { calls: number; cb: () => Promise<ReturnType<typeof unsecuredToken>> } {
  const p = {
    calls: 0,
    cb: async () => {
      p.calls += 1;
      return unsecuredToken(sub, lifetimeMs);
    },
  };
  return p;
}

describe('OAUTHBEARER with oauth_cb (embedded broker, unsecured-JWS listener)', () => {
  it('produces and consumes across several token refreshes while traffic flows', async () => {
    const topic = uniqueTopic('oauth');
    await createTopics([topic]);
    const errors: KafkaError[] = [];
    const producerTokens = countingProvider('alice');
    const consumerTokens = countingProvider('bob');
    const producer = new Producer({ ...oauthConfig(), oauth_cb: producerTokens.cb, error_cb: (e) => void errors.push(e) });
    const consumer = new Consumer({
      ...oauthConfig(),
      oauth_cb: consumerTokens.cb,
      error_cb: (e) => void errors.push(e),
      'group.id': `oauth-${randomUUID()}`,
      'auto.offset.reset': 'earliest',
    });
    await producer.connect();
    await consumer.connect();
    consumer.subscribe([topic]);
    const sent: string[] = [];
    const received: string[] = [];
    // 12 s of traffic, three token lifetimes: one message every 200 ms, consumed as it flows.
    const end = Date.now() + 3 * TOKEN_LIFETIME_MS;
    for (let i = 0; Date.now() < end; i++) {
      const value = `m${i}`;
      await producer.produceAsync(topic, { value: Buffer.from(value) });
      sent.push(value);
      for (const m of await consumer.consumeBatch(100, 200)) if (!m.error) received.push(String(m.value));
    }
    for (let i = 0; i < 50 && received.length < sent.length; i++) {
      for (const m of await consumer.consumeBatch(100, 200)) if (!m.error) received.push(String(m.value));
    }
    await consumer.close();
    await producer.close();
    expect(received).toEqual(sent);
    // The first token plus at least two refreshes each (80 % of 4 s).
    expect(producerTokens.calls).toBeGreaterThanOrEqual(3);
    expect(consumerTokens.calls).toBeGreaterThanOrEqual(3);
    expect(errors.filter((e) => e.code === ErrorCode._AUTHENTICATION || e.code === ErrorCode.SASL_AUTHENTICATION_FAILED)).toEqual([]);
  });

  it('without a fresh token the broker ends the session at expiry (what the refresh prevents)', async () => {
    const topic = uniqueTopic('oauth-expiry');
    await createTopics([topic]);
    const errors: KafkaError[] = [];
    let calls = 0;
    const producer = new Producer({
      ...oauthConfig(),
      'message.timeout.ms': 2000,
      error_cb: (e) => void errors.push(e),
      oauth_cb: () => {
        calls += 1;
        if (calls > 1) throw new Error('refresh refused');
        return unsecuredToken('alice', TOKEN_LIFETIME_MS);
      },
    });
    await producer.connect();
    await producer.produceAsync(topic, { value: Buffer.from('before expiry') });
    let failed: unknown = null;
    const end = Date.now() + 3 * TOKEN_LIFETIME_MS;
    while (Date.now() < end && failed === null) {
      failed = await producer.produceAsync(topic, { value: Buffer.from('x') }).then(
        () => null,
        (e: unknown) => e,
      );
      if (failed === null) await new Promise((r) => setTimeout(r, 200));
    }
    await producer.close(1000);
    expect(failed).toBeInstanceOf(KafkaException);
    expect(errors.some((e) => e.code === ErrorCode._AUTHENTICATION && e.reason.includes('refresh refused'))).toBe(true);
  });

  it('an oauth_cb failing before connect fails connect() with _AUTHENTICATION and reaches error_cb', async () => {
    const errors: KafkaError[] = [];
    const producer = new Producer({
      ...oauthConfig(),
      oauth_cb: () => {
        throw new Error('identity provider down');
      },
      error_cb: (e) => void errors.push(e),
    });
    const error = await producer.connect(5000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KafkaException);
    expect(error).toMatchObject({ code: ErrorCode._AUTHENTICATION, message: expect.stringContaining('identity provider down') });
    expect(errors.map((e) => e.code)).toEqual([ErrorCode._AUTHENTICATION]);
    await producer.close();
  });

  it('the transport (ServerRdKafka, ClientRdKafka) takes oauth_cb in its client options', async () => {
    const topic = uniqueTopic('oauth-transport');
    const got: unknown[] = [];
    @Controller()
    class Handlers {
      @EventPattern(topic)
      on(@Payload() data: unknown): void {
        got.push(data);
      }
    }
    @Module({ controllers: [Handlers] })
    class AppModule {}
    const serverTokens = countingProvider('server');
    const clientTokens = countingProvider('client');
    const client = new ClientRdKafka({ client: { ...oauthConfig(), oauth_cb: clientTokens.cb } });
    await client.connect();
    // The client creates the topic by producing to it; the server then subscribes to an existing topic.
    await client.emit(topic, { n: 0 }).toPromise();
    const app = await listeningMicroservice(
      AppModule,
      new ServerRdKafka({
        client: { ...oauthConfig(), oauth_cb: serverTokens.cb },
        consumer: { 'group.id': `oauth-t-${randomUUID()}`, 'auto.offset.reset': 'earliest' },
      }),
      false,
    );
    try {
      await client.emit(topic, { n: 1 }).toPromise();
      await waitFor(() => got.length === 2, 30_000, 'two events over OAUTHBEARER');
      expect(got).toEqual([{ n: 0 }, { n: 1 }]);
      expect(serverTokens.calls).toBeGreaterThanOrEqual(1);
      expect(clientTokens.calls).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
      await client.close();
    }
  });

  it('RdKafkaModule starts with an OAUTHBEARER config, provisions its topics, and its admin speaks OAUTHBEARER', async () => {
    const topic = uniqueTopic('oauth-module');
    // kafkajs re-authenticates 10 s before a session ends (its reauthenticationThreshold): a token of a minute.
    const tokens = countingProvider('module', 60_000);
    @Module({
      imports: [
        RdKafkaModule.forRoot({
          client: { ...oauthConfig(), oauth_cb: tokens.cb },
          topics: [{ name: topic, numPartitions: 3 }],
        }),
      ],
    })
    class AppModule {}
    const app = await Test.createTestingModule({ imports: [AppModule] }).compile();
    await app.init();
    try {
      const delivered = await app.get(RdKafkaProducerService).emit(topic, { ok: true });
      expect(delivered.partition).toBeGreaterThanOrEqual(0);
      const meta = await app.get(RdKafkaProducerService).unwrap().listTopics();
      expect(meta.topics.get(topic)?.partitions.size).toBe(3);
      const admin = app.get(RdKafkaAdminService);
      // kafkajs (Metadata), node-rdkafka (ListOffsets) and kafka-ts (DescribeUserScramCredentials) backends.
      expect((await admin.describeCluster()).nodes.length).toBeGreaterThan(0);
      const tp = new TopicPartition(topic, 0);
      expect((await admin.listOffsets(new Map([[tp, OffsetSpec.latest()]])).get(tp)!).offset).toBeGreaterThanOrEqual(0);
      expect(await admin.describeUserScramCredentials()).toBeInstanceOf(Map);
    } finally {
      await app.close();
    }
  });

  it('RdKafkaModule compiles with a GSSAPI config; an admin call its backend cannot serve fails when called', async () => {
    @Module({
      imports: [
        RdKafkaModule.forRoot({
          client: {
            'bootstrap.servers': '127.0.0.1:1',
            'security.protocol': 'sasl_plaintext',
            'sasl.mechanisms': 'GSSAPI',
            'sasl.kerberos.service.name': 'kafka',
          },
        }),
      ],
    })
    class AppModule {}
    const compiled = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const error = await compiled
      .get(RdKafkaAdminService)
      .describeCluster()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(KafkaException);
    expect(error).toMatchObject({ code: ErrorCode._UNSUPPORTED_FEATURE, message: expect.stringMatching(/describeCluster: .*GSSAPI/) });
  });
});
