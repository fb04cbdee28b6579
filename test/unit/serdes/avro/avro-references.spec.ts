import { ValueDeserializationError, ValueSerializationError } from '../../../../lib/index.js';
import { AvroDeserializer, AvroSerializer, MessageField, type Schema } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/index.js';

const value = { topic: 'people', field: MessageField.VALUE };
const COUNTRY = { type: 'enum', name: 'Country', namespace: 'unit.refs', symbols: ['DE', 'FR'] };
const ADDRESS = {
  type: 'record',
  name: 'Address',
  namespace: 'unit.refs',
  fields: [
    { name: 'city', type: 'string' },
    { name: 'country', type: 'unit.refs.Country' },
  ],
};
const PERSON = {
  type: 'record',
  name: 'Person',
  namespace: 'unit.refs',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'home', type: 'Address' },
    { name: 'work', type: ['null', 'Address'], default: null },
  ],
};
const person = { name: 'Ada', home: { city: 'Köln', country: 'DE' }, work: { city: 'Paris', country: 'FR' } };

/** Country and Address registered as their own subjects, Address referencing Country: a Java producer's layout. */
async function registerReferenced(registry: MockSchemaRegistryClient): Promise<Schema> {
  await registry.register('unit.refs.Country', JSON.stringify(COUNTRY));
  await registry.register('unit.refs.Address', {
    schema: JSON.stringify(ADDRESS),
    references: [{ name: 'unit.refs.Country', subject: 'unit.refs.Country', version: 1 }],
  });
  return {
    schema: JSON.stringify(PERSON),
    schemaType: 'AVRO',
    references: [{ name: 'unit.refs.Address', subject: 'unit.refs.Address', version: 1 }],
  };
}

describe('Avro schema references (mock registry)', () => {
  let registry: MockSchemaRegistryClient;
  beforeEach(() => {
    registry = new MockSchemaRegistryClient();
  });

  it('registers a schema with its references and round-trips a record of referenced types, nested two deep', async () => {
    const schema = await registerReferenced(registry);
    const bytes = await new AvroSerializer(registry, schema).serialize(person, value);
    const registered = await registry.getById(bytes!.readUInt32BE(1));
    expect(registered.references).toEqual(schema.references);
    expect(await new AvroDeserializer(registry).deserialize(bytes, value)).toEqual(person);
  });

  it('fetches each referenced version once for many records, and resolves onto a reader schema with references', async () => {
    const schema = await registerReferenced(registry);
    const ser = new AvroSerializer(registry, schema);
    const de = new AvroDeserializer(registry, schema);
    for (let i = 0; i < 20; i++) {
      expect(await de.deserialize(await ser.serialize({ ...person, name: `p${i}` }, value), value)).toEqual({ ...person, name: `p${i}` });
    }
    // Address and Country for the serializer, and again for the deserializer's writer and reader schemas.
    expect(registry.calls.get('getVersion')).toBe(6);
  });

  it('fails with a typed error naming the reference when the referenced subject is missing', async () => {
    const schema: Schema = { schema: JSON.stringify(PERSON), references: [{ name: 'unit.refs.Address', subject: 'nowhere', version: 1 }] };
    const err = await new AvroSerializer(registry, schema).serialize(person, value).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValueSerializationError);
    expect((err as Error).message).toContain('the registry rejected the schema for subject "people-value" as invalid (error 42201)');
    expect((err as Error).message).toContain('reference unit.refs.Address to subject "nowhere" version 1: not registered');
  });

  it('rejects a writer schema whose reference cannot be fetched with a ValueDeserializationError', async () => {
    const schema = await registerReferenced(registry);
    const bytes = await new AvroSerializer(registry, schema).serialize(person, value);
    await registry.deleteSubject('unit.refs.Address', true);
    const err = await new AvroDeserializer(registry).deserialize(bytes, { ...value, partition: 0, offset: 7 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValueDeserializationError);
    expect((err as Error).message).toContain(
      'could not fetch schema reference "unit.refs.Address" (subject "unit.refs.Address" version 1)',
    );
    expect((err as ValueDeserializationError).offset).toBe(7);
  });

  it("without its references, a schema using another schema's type is refused when the serializer is built", () => {
    expect(() => new AvroSerializer(registry, PERSON)).toThrow(/undefined type name: unit.refs.Address/);
  });
});
