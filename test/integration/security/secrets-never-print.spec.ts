import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ClientRdKafka,
  Consumer,
  getRdKafkaHealthToken,
  Producer,
  RDKAFKA_MODULE_OPTIONS,
  RdKafkaModule,
  RdKafkaProducerService,
  ServerRdKafka,
} from '../../../lib/index.js';
import { AdminClient, RdKafkaAdminService } from '../../../lib/admin/index.js';
import {
  AvroConsumer,
  AvroDeserializer,
  AvroProducer,
  AvroSerializer,
  MessageField,
  SchemaRegistryClient,
} from '../../../lib/serdes/index.js';
import { RDKAFKA_RESOLVED_OPTIONS } from '../../../lib/module/rdkafka.providers.js';
import { saslBootstrapServers } from '../helpers/admin-env.js';
import { uniqueTopic } from '../helpers/kafka-env.js';
import { oauthConfig, unsecuredToken } from './oauth-env.js';
import { EverythingLogger, leaks } from './secret-sweep.js';

/** A secret no library text contains by chance; the SCRAM password is the broker's, so it is swept too. */
const SECRET = `S3cr3t-${randomUUID()}`;
const SCRAM_PASSWORD = 'alice-secret';
const SECRETS = [SECRET, SCRAM_PASSWORD];
const REGISTRY = 'http://127.0.0.1:9'; // nothing listens: no request is sent by these tests

/** Every secret-bearing librdkafka property (accepted without TLS being set up) carrying a secret. */
function secretProperties(): Record<string, string> {
  return {
    'sasl.password': SECRET,
    'ssl.key.password': SECRET,
    'ssl.keystore.password': SECRET,
    'sasl.oauthbearer.config': `principal=alice secret=${SECRET}`,
  };
}

const scram = {
  'bootstrap.servers': saslBootstrapServers(),
  'security.protocol': 'sasl_plaintext' as const,
  'sasl.mechanisms': 'SCRAM-SHA-256',
  'sasl.username': 'alice',
  'sasl.password': SCRAM_PASSWORD,
};

describe('secrets never print (objects, errors, logs; SCRAM listener)', () => {
  it('no object holding configuration prints a secret', async () => {
    const config = { 'bootstrap.servers': '127.0.0.1:1', ...secretProperties() };
    const registryConfigs = [
      { url: `http://reg-user:${SECRET}@127.0.0.1:9` },
      { url: REGISTRY, 'basic.auth.user.info': `reg-user:${SECRET}` },
      { url: REGISTRY, 'bearer.auth.token': SECRET },
    ];
    const registries = registryConfigs.map((c) => new SchemaRegistryClient(c));
    const schema = '{"type":"string"}';
    const avroConfig = { ...config, 'schema.registry.url': REGISTRY, 'schema.registry.basic.auth.user.info': `u:${SECRET}` };
    const objects: Record<string, unknown> = {
      producer: new Producer(config),
      consumer: new Consumer({ ...config, 'group.id': 'g' }),
      admin: new AdminClient(config),
      adminService: new RdKafkaAdminService(config),
      server: new ServerRdKafka({ client: config, consumer: { 'group.id': 'g' } }),
      client: new ClientRdKafka({ client: config }),
      avroProducer: new AvroProducer(avroConfig, schema, schema),
      avroConsumer: new AvroConsumer({ ...avroConfig, 'group.id': 'g' }),
      ...Object.fromEntries(registries.map((r, i) => [`registry${i}`, r])),
      serializer: new AvroSerializer(registries[1]!, schema),
      deserializer: new AvroDeserializer(registries[2]!),
    };
    expect(leaks(objects, SECRETS)).toEqual([]);
    for (const c of ['producer', 'consumer'] as const) await (objects[c] as Producer | Consumer).close();
    await (objects.admin as AdminClient).close();
    await (objects.adminService as AdminClient).close();
  });

  it("the module's options providers, services and health indicator print no secret", async () => {
    @Module({ imports: [RdKafkaModule.forRoot({ client: { 'bootstrap.servers': '127.0.0.1:1', ...secretProperties() } })] })
    class AppModule {}
    const compiled: TestingModule = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const named: Record<string, unknown> = {
      options: compiled.get(RDKAFKA_MODULE_OPTIONS),
      resolved: compiled.get(RDKAFKA_RESOLVED_OPTIONS),
      producerService: compiled.get(RdKafkaProducerService),
      admin: compiled.get(RdKafkaAdminService),
      client: compiled.get(ClientRdKafka),
      health: compiled.get(getRdKafkaHealthToken()),
    };
    expect(leaks(named, SECRETS)).toEqual([]);
  });

  it('errors about a configuration never quote its secret', async () => {
    const errors: Record<string, unknown> = {};
    const capture = (name: string, f: () => unknown): void => {
      try {
        f();
        errors[name] = new Error(`${name} did not throw`);
      } catch (e) {
        errors[name] = e;
      }
    };
    capture('malformed registry URL', () => new SchemaRegistryClient({ url: `http://reg-user:${SECRET}@[127.0.0.1` }));
    capture('registry URL of another scheme', () => new SchemaRegistryClient({ url: `ftp://reg-user:${SECRET}@127.0.0.1` }));
    capture('registry user info without a colon', () => new SchemaRegistryClient({ url: REGISTRY, 'basic.auth.user.info': SECRET }));
    capture(
      'librdkafka refusing a property',
      () => new Producer({ 'bootstrap.servers': '127.0.0.1:1', 'sasl.password': SECRET, 'sasl.mechanisms': SECRET }),
    );
    for (const [name, e] of Object.entries(errors)) expect([name, e]).toEqual([name, expect.any(Error)]);
    expect(leaks(errors, SECRETS)).toEqual([]);
  });

  it('a connect/produce/consume/close cycle with debug "all" logs no secret', async () => {
    const logger = new EverythingLogger();
    const topic = uniqueTopic('secrets');
    const callbacks = {
      logger: {
        error: logger.error.bind(logger),
        warn: logger.warn.bind(logger),
        log: logger.log.bind(logger),
        debug: logger.debug.bind(logger),
      },
      error_cb: (e: unknown) => logger.error('error_cb', e),
    };
    const base = { ...scram, ...callbacks, debug: 'all', 'ssl.key.password': SECRET, 'sasl.oauthbearer.config': `secret=${SECRET}` };
    const producer = new Producer(base);
    const consumer = new Consumer({ ...base, 'group.id': `g-${randomUUID()}`, 'auto.offset.reset': 'earliest' });
    await producer.connect();
    await producer.produceAsync(topic, { value: Buffer.from('v') });
    await consumer.connect();
    consumer.subscribe([topic]);
    let got = 0;
    for (let i = 0; i < 60 && got === 0; i++) got += (await consumer.consumeBatch(10, 500)).filter((m) => !m.error).length;
    expect(got).toBe(1);
    expect(leaks({ producer, consumer }, SECRETS)).toEqual([]);
    await consumer.close();
    await producer.close();

    // The module over the same listener: admin, producer service and client all log through the Nest logger.
    @Module({ imports: [RdKafkaModule.forRoot({ client: { ...scram, debug: 'all', 'ssl.key.password': SECRET }, logger })] })
    class AppModule {}
    const app = await Test.createTestingModule({ imports: [AppModule] }).compile();
    await app.init();
    await app.get(RdKafkaProducerService).emit(topic, { n: 1 });
    await app.get(RdKafkaAdminService).describeCluster();
    await app.close();
    expect(logger.lines.length).toBeGreaterThan(100);
    expect(logger.leaking(SECRETS)).toEqual([]);
  });

  it('an OAUTHBEARER token from oauth_cb is never printed or logged (debug "all", OAUTHBEARER listener)', async () => {
    const logger = new EverythingLogger();
    const tokens: string[] = [];
    const oauth_cb = () => {
      const t = unsecuredToken(`user-${randomUUID()}`, 60_000);
      tokens.push(t.token);
      return t;
    };
    const producer = new Producer({
      ...oauthConfig(),
      oauth_cb,
      debug: 'all',
      logger: {
        error: logger.error.bind(logger),
        warn: logger.warn.bind(logger),
        log: logger.log.bind(logger),
        debug: logger.debug.bind(logger),
      },
    });
    await producer.connect();
    await producer.produceAsync(uniqueTopic('secrets-oauth'), { value: Buffer.from('v') });
    const admin = new AdminClient(
      {
        'bootstrap.servers': oauthConfig()['bootstrap.servers'],
        'security.protocol': 'sasl_plaintext',
        'sasl.mechanisms': 'OAUTHBEARER',
        oauth_cb,
      },
      { logger },
    );
    await admin.describeCluster();
    expect(leaks({ producer, admin }, tokens)).toEqual([]);
    await admin.close();
    await producer.close();
    expect(tokens.length).toBeGreaterThan(0);
    expect(logger.lines.length).toBeGreaterThan(100);
    expect(logger.leaking(tokens)).toEqual([]);
  });

  it("an AvroSerializer's registry failure does not quote the registry credentials", async () => {
    const registry = new SchemaRegistryClient({ url: `http://reg-user:${SECRET}@127.0.0.1:9`, requestTimeoutMs: 2000 });
    const serializer = new AvroSerializer(registry, '{"type":"string"}');
    const error = await serializer.serialize('x', { topic: 't', field: MessageField.VALUE }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(leaks({ error }, SECRETS)).toEqual([]);
  });
});
