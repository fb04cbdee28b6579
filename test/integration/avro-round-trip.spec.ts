import { KeyDeserializationError, ValueDeserializationError, ValueSerializationError } from '../../lib/index.js';
import {
  AvroDeserializer,
  AvroSerializer,
  frame,
  MessageField,
  SchemaRegistryClient,
  SchemaRegistryError,
} from '../../lib/serdes/index.js';
import { uniqueTopic } from './helpers/kafka-env.js';
import { consumeRaw, produceRaw } from './helpers/raw-kafka-io.js';
import { schemaRegistryUrl } from './helpers/schema-registry-env.js';
import { createTopic } from './helpers/topics.js';

const ORDER_V1 = {
  type: 'record',
  name: 'Order',
  namespace: 'it.avro',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'lines', type: { type: 'array', items: 'int' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};
const ORDER_V2 = { ...ORDER_V1, fields: [...ORDER_V1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
const ORDER_KEY = { type: 'record', name: 'OrderKey', namespace: 'it.avro', fields: [{ name: 'id', type: 'string' }] };

describe('Avro over a real broker and a real registry (Apicurio)', () => {
  let registry: SchemaRegistryClient;
  beforeAll(() => {
    registry = new SchemaRegistryClient({ url: schemaRegistryUrl() });
  });

  it('round-trips Avro keys and values through Kafka, registering <topic>-key and <topic>-value', async () => {
    const topic = uniqueTopic('avro-rt');
    await createTopic(topic);
    const keySer = new AvroSerializer(registry, ORDER_KEY);
    const valueSer = new AvroSerializer(registry, ORDER_V1);
    const orders = Array.from({ length: 20 }, (_, i) => ({
      id: `o-${i}`,
      amount: i * 1.5,
      lines: [i, i + 1],
      note: i % 2 ? `n${i}` : null,
    }));
    const records = await Promise.all(
      orders.map(async (o) => ({
        key: await keySer.serialize({ id: o.id }, { topic, field: MessageField.KEY }),
        value: await valueSer.serialize(o, { topic, field: MessageField.VALUE }),
      })),
    );
    await produceRaw(topic, records);

    const consumed = await consumeRaw(topic, orders.length);
    // A deserializer with a fresh client: writer schemas come from the registry, not a shared cache.
    const fresh = new SchemaRegistryClient({ url: schemaRegistryUrl() });
    const keyDe = new AvroDeserializer(fresh);
    const valueDe = new AvroDeserializer(fresh);
    const decoded = await Promise.all(
      consumed.map(async (m) => ({
        key: await keyDe.deserialize(m.key, { topic, field: MessageField.KEY }),
        value: await valueDe.deserialize(m.value, { topic, field: MessageField.VALUE }),
      })),
    );
    expect(decoded.map((d) => d.value)).toEqual(orders);
    expect(decoded.map((d) => d.key)).toEqual(orders.map((o) => ({ id: o.id })));
    const subjects = await registry.getSubjects();
    expect(subjects).toEqual(expect.arrayContaining([`${topic}-key`, `${topic}-value`]));
    expect(consumed[0].value!.readUInt32BE(1)).toBe((await registry.getLatestVersion(`${topic}-value`)).id);
  });

  it('reads v1 and v2 messages of one topic with a v2 reader schema (the new field defaults for v1)', async () => {
    const topic = uniqueTopic('avro-evolve');
    await createTopic(topic);
    await registry.updateCompatibility('BACKWARD', `${topic}-value`);
    const ctx = { topic, field: MessageField.VALUE };
    const v1 = await new AvroSerializer(registry, ORDER_V1).serialize({ id: 'old', amount: 1, lines: [], note: null }, ctx);
    const v2 = await new AvroSerializer(registry, ORDER_V2).serialize(
      { id: 'new', amount: 2, lines: [7], note: 'x', currency: 'USD' },
      ctx,
    );
    expect(v1!.readUInt32BE(1)).not.toBe(v2!.readUInt32BE(1));
    await produceRaw(topic, [{ value: v1 }, { value: v2 }]);

    const [m1, m2] = await consumeRaw(topic, 2);
    const reader = new AvroDeserializer(new SchemaRegistryClient({ url: schemaRegistryUrl() }), ORDER_V2);
    expect(await reader.deserialize(m1.value, ctx)).toEqual({ id: 'old', amount: 1, lines: [], note: null, currency: 'EUR' });
    expect(await reader.deserialize(m2.value, ctx)).toEqual({ id: 'new', amount: 2, lines: [7], note: 'x', currency: 'USD' });
    expect(await registry.getVersions(`${topic}-value`)).toEqual([1, 2]);
  });

  it('turns poison messages into typed errors and keeps decoding the good ones after them', async () => {
    const topic = uniqueTopic('avro-poison');
    await createTopic(topic);
    const ctx = { topic, field: MessageField.VALUE };
    const good = await new AvroSerializer(registry, ORDER_V1).serialize({ id: 'ok', amount: 3, lines: [1], note: null }, ctx);
    const unknownId = frame(1_999_999_999, good!.subarray(5));
    const badMagic = Buffer.concat([Buffer.from([1]), good!.subarray(1)]);
    const truncated = good!.subarray(0, good!.length - 3);
    await produceRaw(topic, [
      { value: badMagic },
      { value: unknownId },
      { value: truncated },
      { value: Buffer.from([0, 0]) },
      { key: Buffer.from('plain-text-key'), value: good },
    ]);

    const consumed = await consumeRaw(topic, 5);
    const de = new AvroDeserializer(new SchemaRegistryClient({ url: schemaRegistryUrl() }));
    const outcomes = await Promise.all(
      consumed.map((m) =>
        de.deserialize(m.value, ctx).then(
          (v) => ({ v }),
          (e) => ({ e }),
        ),
      ),
    );
    const errors = outcomes.slice(0, 4).map((o) => (o as { e: ValueDeserializationError }).e);
    errors.forEach((e) => expect(e).toBeInstanceOf(ValueDeserializationError));
    expect(errors[0].message).toMatch(/unknown magic byte 0x01/);
    expect(errors[1].message).toMatch(/unknown schema id 1999999999: the registry has no such schema \(error 40403\)/);
    expect((errors[1].cause as SchemaRegistryError).status).toBe(404);
    expect(errors[2].message).toMatch(/does not decode with writer schema id \d+: truncated buffer/);
    expect(errors[3].message).toMatch(/payload of 2 byte\(s\) is too short/);
    expect(outcomes[4]).toEqual({ v: { id: 'ok', amount: 3, lines: [1], note: null } });
    // A key that is not Avro: a key error, the value still decodes.
    const keyErr = await new AvroDeserializer(registry).deserialize(consumed[4].key, { topic, field: MessageField.KEY }).catch((e) => e);
    expect(keyErr).toBeInstanceOf(KeyDeserializationError);
  });

  it('refuses an incompatible registration with a typed error and registers nothing', async () => {
    const topic = uniqueTopic('avro-incompatible');
    await registry.updateCompatibility('BACKWARD', `${topic}-value`);
    const ctx = { topic, field: MessageField.VALUE };
    await new AvroSerializer(registry, ORDER_V1).serialize({ id: 'a', amount: 1, lines: [], note: null }, ctx);
    const incompatible = {
      type: 'record',
      name: 'Order',
      namespace: 'it.avro',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'sku', type: 'string' },
      ],
    };
    const err = await new AvroSerializer(registry, incompatible).serialize({ id: 1, sku: 'x' }, ctx).catch((e) => e);
    expect(err).toBeInstanceOf(ValueSerializationError);
    expect(err.message).toMatch(
      new RegExp(`schema is incompatible with the schemas registered under subject "${topic}-value" \\(registry error 409\\)`),
    );
    expect((err.cause as SchemaRegistryError).status).toBe(409);
    expect(await registry.getVersions(`${topic}-value`)).toEqual([1]);
  });

  it('with auto.register.schemas=false writes only with an already registered schema', async () => {
    const topic = uniqueTopic('avro-noreg');
    const ctx = { topic, field: MessageField.VALUE };
    const ser = new AvroSerializer(registry, ORDER_V1, { 'auto.register.schemas': false });
    const err = await ser.serialize({ id: 'a', amount: 1, lines: [], note: null }, ctx).catch((e) => e);
    expect(err).toBeInstanceOf(ValueSerializationError);
    expect(err.message).toMatch(/not registered under subject .* and auto.register.schemas is false/);
    const id = await registry.register(`${topic}-value`, JSON.stringify(ORDER_V1));
    expect((await ser.serialize({ id: 'a', amount: 1, lines: [], note: null }, ctx))!.readUInt32BE(1)).toBe(id);
  });
});
