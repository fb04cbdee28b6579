import { ConfigException, KeySerializationError, type KafkaError, Message, ValueSerializationError } from '../../lib/index.js';
import { AvroDeserializer, AvroProducer, MessageField, SchemaRegistryClient } from '../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../lib/testing/index.js';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';
import { consumeRaw } from './helpers/raw-kafka-io.js';
import { schemaRegistryUrl } from './helpers/schema-registry-env.js';
import { createTopic } from './helpers/topics.js';

const KEY = { type: 'record', name: 'SensorKey', namespace: 'it.avroproducer', fields: [{ name: 'sensor', type: 'string' }] };
const READING = {
  type: 'record',
  name: 'Reading',
  namespace: 'it.avroproducer',
  fields: [
    { name: 'seq', type: 'int' },
    { name: 'celsius', type: 'float' },
  ],
};
const ALERT = { type: 'record', name: 'Alert', namespace: 'it.avroproducer', fields: [{ name: 'level', type: 'string' }] };

describe('AvroProducer (confluent_kafka.avro) on the real broker and registry', () => {
  let producer: AvroProducer;
  const reports: Array<[KafkaError | null, Message]> = [];

  beforeAll(async () => {
    producer = new AvroProducer(
      {
        'bootstrap.servers': bootstrapServers(),
        'linger.ms': 2,
        'schema.registry.url': schemaRegistryUrl(),
        on_delivery: (e, m) => reports.push([e, m]),
      },
      KEY,
      READING,
    );
    await producer.connect();
  });
  afterAll(() => producer.close());

  it('encodes keys and values with the default schemas, in produce() call order', async () => {
    const topic = uniqueTopic('avro-producer');
    await createTopic(topic);
    const sends = Array.from({ length: 30 }, (_, seq) =>
      producer.produce(topic, { key: { sensor: `s${seq % 3}` }, value: { seq, celsius: seq / 2 } }),
    );
    await Promise.all(sends);
    expect(await producer.flush(10_000)).toBe(0);
    expect(reports.filter(([, m]) => m.topic === topic).every(([e]) => e === null)).toBe(true);

    const consumed = await consumeRaw(topic, 30);
    const de = new AvroDeserializer(new SchemaRegistryClient({ url: schemaRegistryUrl() }));
    const values = await Promise.all(consumed.map((m) => de.deserialize(m.value, { topic, field: MessageField.VALUE })));
    const keys = await Promise.all(consumed.map((m) => de.deserialize(m.key, { topic, field: MessageField.KEY })));
    expect(values).toEqual(Array.from({ length: 30 }, (_, seq) => ({ seq, celsius: seq / 2 })));
    expect(keys).toEqual(Array.from({ length: 30 }, (_, seq) => ({ sensor: `s${seq % 3}` })));
  });

  it('keeps call order when messages wait on different schema registrations', async () => {
    const topic = uniqueTopic('avro-producer-order');
    await createTopic(topic);
    const sends = Array.from({ length: 10 }, (_, i) =>
      i % 2
        ? producer.produce(topic, { key: null, value: { seq: i, celsius: 0 } })
        : producer.produce(topic, { key: null, value: { level: `l${i}` }, valueSchema: ALERT }),
    );
    await Promise.all(sends);
    await producer.flush(10_000);
    const consumed = await consumeRaw(topic, 10);
    const de = new AvroDeserializer(producer.schemaRegistry);
    const values = await Promise.all(consumed.map((m) => de.deserialize(m.value, { topic, field: MessageField.VALUE })));
    expect(values).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 ? { seq: i, celsius: 0 } : { level: `l${i}` })));
  });

  it('takes a per-message schema and resolves produceAsync with the delivery report', async () => {
    const topic = uniqueTopic('avro-producer-async');
    await createTopic(topic);
    const msg = await producer.produceAsync(topic, { value: { level: 'high' }, valueSchema: ALERT, key: null });
    expect(msg).toBeInstanceOf(Message);
    expect(msg.offset).toBe(0);
    const [raw] = await consumeRaw(topic, 1);
    expect(raw.key).toBeNull();
    expect(await new AvroDeserializer(producer.schemaRegistry, ALERT).deserialize(raw.value, { topic, field: MessageField.VALUE })).toEqual(
      { level: 'high' },
    );
  });

  it('rejects a value that does not match its schema and enqueues nothing, while later messages still go out', async () => {
    const topic = uniqueTopic('avro-producer-bad');
    await createTopic(topic);
    const bad = producer.produce(topic, { key: { sensor: 'x' }, value: { seq: 'one', celsius: 1 } as never });
    const good = producer.produceAsync(topic, { key: { sensor: 'x' }, value: { seq: 2, celsius: 2 } });
    const err = await bad.catch((e) => e);
    expect(err).toBeInstanceOf(ValueSerializationError);
    expect(err.message).toMatch(/seq: expected int, got "one"/);
    expect((await good).offset).toBe(0);
  });

  it('refuses a key without a schema with a KeySerializationError', async () => {
    const noDefaults = new AvroProducer({ 'bootstrap.servers': bootstrapServers(), 'schema.registry.url': schemaRegistryUrl() });
    const err = await noDefaults.produce('never-created', { key: 'k', value: null }).catch((e) => e);
    expect(err).toBeInstanceOf(KeySerializationError);
    expect(err.message).toMatch(/no Avro key schema: pass keySchema or a default key schema/);
    await noDefaults.close();
  });

  it('checks its registry configuration at construction', () => {
    expect(() => new AvroProducer({ 'bootstrap.servers': bootstrapServers() })).toThrow(ConfigException);
    expect(
      () =>
        new AvroProducer({ 'bootstrap.servers': bootstrapServers(), 'schema.registry.url': 'http://x' }, undefined, undefined, {
          schemaRegistry: new MockSchemaRegistryClient(),
        }),
    ).toThrow(/not both/);
    expect(
      () => new AvroProducer({ 'bootstrap.servers': bootstrapServers(), 'schema.registry.url': schemaRegistryUrl() }, '{"type":"nope"}'),
    ).toThrow(/invalid Avro schema/);
  });
});
