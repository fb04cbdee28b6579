import { ErrorCode, ValueDeserializationError } from '../../lib/index.js';
import { AvroConsumer, AvroMessage, AvroProducer } from '../../lib/serdes/index.js';
import { bootstrapServers, uniqueTopic } from './helpers/kafka-env.js';
import { produceRaw } from './helpers/raw-kafka-io.js';
import { schemaRegistryUrl } from './helpers/schema-registry-env.js';
import { createTopic } from './helpers/topics.js';

const ID_KEY = { type: 'record', name: 'AccountKey', namespace: 'it.avroconsumer', fields: [{ name: 'account', type: 'string' }] };
const V1 = { type: 'record', name: 'Balance', namespace: 'it.avroconsumer', fields: [{ name: 'cents', type: 'long' }] };
const V2 = { ...V1, fields: [...V1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };

type Balance = { cents: number; currency: string };

/** Produces v1, v2, a poison message (bad magic byte), then v1 again, all on partition 0 of a new topic. */
async function seedTopic(): Promise<string> {
  const topic = uniqueTopic('avro-consumer');
  await createTopic(topic);
  const producer = new AvroProducer({ 'bootstrap.servers': bootstrapServers(), 'schema.registry.url': schemaRegistryUrl() }, ID_KEY);
  await producer.connect();
  await producer.produceAsync(topic, { key: { account: 'a' }, value: { cents: 100 }, valueSchema: V1 });
  await producer.produceAsync(topic, { key: { account: 'b' }, value: { cents: 200, currency: 'USD' }, valueSchema: V2 });
  await producer.close();
  await produceRaw(topic, [{ value: Buffer.from('{"cents": 300}') }]);
  const again = new AvroProducer({ 'bootstrap.servers': bootstrapServers(), 'schema.registry.url': schemaRegistryUrl() }, ID_KEY, V1);
  await again.connect();
  await again.produceAsync(topic, { key: { account: 'c' }, value: { cents: 400 } });
  await again.close();
  return topic;
}

function newConsumer(): AvroConsumer<{ account: string }, Balance> {
  return new AvroConsumer(
    {
      'bootstrap.servers': bootstrapServers(),
      'group.id': uniqueTopic('avro-consumer-group'),
      'auto.offset.reset': 'earliest',
      'enable.auto.commit': false,
      'schema.registry.url': schemaRegistryUrl(),
    },
    undefined,
    V2,
  );
}

describe('AvroConsumer (confluent_kafka.avro) on the real broker and registry', () => {
  let topic: string;
  const consumers: AvroConsumer<{ account: string }, Balance>[] = [];
  beforeAll(async () => {
    topic = await seedTopic();
  });
  afterAll(() => Promise.all(consumers.map((c) => c.close())));

  it('poll() decodes v1 and v2 with the v2 reader, throws a typed error for the poison message, then goes on', async () => {
    const consumer = newConsumer();
    consumers.push(consumer);
    await consumer.connect();
    consumer.subscribe([topic]);
    const got: Array<AvroMessage<{ account: string }, Balance> | ValueDeserializationError> = [];
    const deadline = Date.now() + 30_000;
    while (got.length < 4 && Date.now() < deadline) {
      try {
        const m = await consumer.poll(500);
        if (m && !m.error) got.push(m);
      } catch (e) {
        got.push(e as ValueDeserializationError);
      }
    }
    expect(got).toHaveLength(4);
    const [first, second, poison, last] = got as [
      AvroMessage<{ account: string }, Balance>,
      AvroMessage<{ account: string }, Balance>,
      ValueDeserializationError,
      AvroMessage<{ account: string }, Balance>,
    ];
    expect([first.key, first.value, first.offset]).toEqual([{ account: 'a' }, { cents: 100, currency: 'EUR' }, 0]);
    expect([second.key, second.value]).toEqual([{ account: 'b' }, { cents: 200, currency: 'USD' }]);
    expect(poison).toBeInstanceOf(ValueDeserializationError);
    expect([poison.topic, poison.partition, poison.offset]).toEqual([topic, 0, 2]);
    expect(poison.message).toMatch(/unknown magic byte 0x7b/);
    expect([last.value, last.offset]).toEqual([{ cents: 400, currency: 'EUR' }, 3]);
    expect(await consumer.commit({ message: last, asynchronous: false })).toEqual([
      expect.objectContaining({ topic, partition: 0, offset: 4 }),
    ]);
  });

  it('consume() returns the poison message in the batch with _VALUE_DESERIALIZATION set and its bytes kept', async () => {
    const consumer = newConsumer();
    consumers.push(consumer);
    await consumer.connect();
    consumer.subscribe([topic]);
    const got: AvroMessage<{ account: string }, Balance>[] = [];
    const deadline = Date.now() + 30_000;
    while (got.length < 4 && Date.now() < deadline)
      got.push(...(await consumer.consume(4 - got.length, 1000)).filter((m) => m.error?.code !== ErrorCode._PARTITION_EOF));
    expect(got.map((m) => m.offset)).toEqual([0, 1, 2, 3]);
    expect(got[2].error?.code).toBe(ErrorCode._VALUE_DESERIALIZATION);
    expect(got[2].value).toBeNull();
    expect(got[2].message.value!.toString()).toBe('{"cents": 300}');
    expect(got.filter((m) => !m.error).map((m) => m.value!.cents)).toEqual([100, 200, 400]);
  });
});
