import { randomUUID } from 'node:crypto';
import { type DecodeOptions, SchemaRegistry as KafkajsRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { AvroDeserializer, AvroSerializer, MessageField, SchemaRegistryClient } from '../../lib/serdes/index.js';
import { uniqueTopic } from './helpers/kafka-env.js';
import { consumeRaw, produceRaw } from './helpers/raw-kafka-io.js';
import { schemaRegistryUrl } from './helpers/schema-registry-env.js';
import { createTopic } from './helpers/topics.js';

const PAYMENT = {
  type: 'record',
  name: 'Payment',
  namespace: 'it.interop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'cents', type: 'long' },
    { name: 'tags', type: { type: 'map', values: 'string' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'REFUNDED'] } },
    { name: 'ref', type: ['null', 'string'], default: null },
  ],
};
const PAYMENT_V2 = { ...PAYMENT, fields: [...PAYMENT.fields, { name: 'channel', type: 'string', default: 'web' }] };

const payments = [
  { id: 'p1', cents: 1999, tags: { shop: 'a' }, status: 'NEW', ref: null },
  { id: 'p2', cents: 2 ** 40, tags: {}, status: 'PAID', ref: 'r-2' },
  { id: 'p3', cents: -5, tags: { x: 'y', z: '' }, status: 'REFUNDED', ref: null },
];

/**
 * Interop with an independent implementation of the Confluent wire format (@kafkajs/confluent-schema-registry),
 * both against the same Apicurio registry and through the same Kafka topic.
 */
describe('Avro interop with @kafkajs/confluent-schema-registry', () => {
  let ours: SchemaRegistryClient;
  let theirs: KafkajsRegistry;
  beforeAll(() => {
    ours = new SchemaRegistryClient({ url: schemaRegistryUrl() });
    theirs = new KafkajsRegistry({ host: schemaRegistryUrl() });
  });

  it('decodes bytes it encoded (sent through Kafka) with our AvroDeserializer', async () => {
    const topic = uniqueTopic('interop-theirs');
    await createTopic(topic);
    const { id } = await theirs.register({ type: SchemaType.AVRO, schema: JSON.stringify(PAYMENT) }, { subject: `${topic}-value` });
    await produceRaw(topic, await Promise.all(payments.map(async (p) => ({ value: await theirs.encode(id, p) }))));

    const consumed = await consumeRaw(topic, payments.length);
    const de = new AvroDeserializer(ours);
    const decoded = await Promise.all(consumed.map((m) => de.deserialize(m.value, { topic, field: MessageField.VALUE })));
    expect(decoded).toEqual(payments);
    expect(consumed.every((m) => m.value!.readUInt32BE(1) === id)).toBe(true);
  });

  it('decodes bytes our AvroSerializer encoded (sent through Kafka) with its decode()', async () => {
    const topic = uniqueTopic('interop-ours');
    await createTopic(topic);
    const ser = new AvroSerializer(ours, PAYMENT);
    const ctx = { topic, field: MessageField.VALUE };
    await produceRaw(topic, await Promise.all(payments.map(async (p) => ({ value: await ser.serialize(p, ctx) }))));

    const consumed = await consumeRaw(topic, payments.length);
    const decoded = await Promise.all(consumed.map((m) => theirs.decode(m.value!)));
    expect(decoded).toEqual(payments);
    // It found the id we registered under the same subject it would have used.
    expect(await theirs.getLatestSchemaId(`${topic}-value`)).toBe(consumed[0].value!.readUInt32BE(1));
  });

  it('agrees on schema references both ways: its Address ← Person, registered as separate subjects', async () => {
    const topic = uniqueTopic('interop-refs');
    const ctx = { topic, field: MessageField.VALUE };
    const ns = `it.interop.refs${randomUUID().replaceAll('-', '')}`;
    const address = { type: 'record', name: 'Address', namespace: ns, fields: [{ name: 'city', type: 'string' }] };
    const person = {
      type: 'record',
      name: 'Person',
      namespace: ns,
      fields: [
        { name: 'name', type: 'string' },
        { name: 'home', type: `${ns}.Address` },
      ],
    };
    const references = [{ name: `${ns}.Address`, subject: `${ns}.Address`, version: 1 }];
    await theirs.register({ type: SchemaType.AVRO, schema: JSON.stringify(address) }, { subject: `${ns}.Address` });
    const { id } = await theirs.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(person), references },
      { subject: `${topic}-value` },
    );
    const ada = { name: 'Ada', home: { city: 'Köln' } };
    expect(await new AvroDeserializer(ours).deserialize(await theirs.encode(id, ada), ctx)).toEqual(ada);

    const bytes = await new AvroSerializer(ours, { schema: JSON.stringify(person), schemaType: 'AVRO', references }).serialize(ada, ctx);
    expect(bytes!.readUInt32BE(1)).toBe(id); // the same schema with the same references: the same id
    expect(await theirs.decode(bytes!)).toEqual(ada);
  });

  it('agrees on schema evolution: its v1 bytes read with our v2 reader, our v1 bytes read with its v2 reader', async () => {
    const topic = uniqueTopic('interop-evolve');
    const ctx = { topic, field: MessageField.VALUE };
    const { id } = await theirs.register({ type: SchemaType.AVRO, schema: JSON.stringify(PAYMENT) }, { subject: `${topic}-value` });
    const theirBytes = await theirs.encode(id, payments[1]);
    expect(await new AvroDeserializer(ours, PAYMENT_V2).deserialize(theirBytes, ctx)).toEqual({ ...payments[1], channel: 'web' });

    const ourBytes = await new AvroSerializer(ours, PAYMENT).serialize(payments[2], ctx);
    const options: DecodeOptions = { [SchemaType.AVRO]: { readerSchema: { ...PAYMENT_V2, type: 'record' } } };
    expect(await theirs.decode(ourBytes!, options)).toEqual({ ...payments[2], channel: 'web' });
  });
});
