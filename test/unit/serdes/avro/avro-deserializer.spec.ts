import { ConfigException, ErrorCode, KeyDeserializationError, ValueDeserializationError } from '../../../../lib/index.js';
import { AvroDeserializer, AvroSerializer, frame, MessageField, SchemaRegistryError } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/index.js';

const V1 = {
  type: 'record',
  name: 'User',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
  ],
};
const V2 = { ...V1, fields: [...V1.fields, { name: 'country', type: 'string', default: 'unknown' }] };
const value = { topic: 'users', field: MessageField.VALUE };
const key = { topic: 'users', field: MessageField.KEY };

async function failure(p: Promise<unknown>): Promise<ValueDeserializationError & { cause?: unknown }> {
  const e = await p.then(
    () => undefined,
    (err) => err,
  );
  if (!e) throw new Error('expected a rejection');
  return e;
}

describe('AvroDeserializer (mock registry)', () => {
  let registry: MockSchemaRegistryClient;
  beforeEach(() => {
    registry = new MockSchemaRegistryClient();
  });

  it('returns null for a null payload', async () => {
    expect(await new AvroDeserializer(registry).deserialize(null, value)).toBeNull();
  });

  it('rejects an unknown magic byte with a ValueDeserializationError', async () => {
    const err = await failure(new AvroDeserializer(registry).deserialize(Buffer.from('{"id":1,"name":"a"}'), value));
    expect(err).toBeInstanceOf(ValueDeserializationError);
    expect(err.name).toBe('ValueDeserializationError');
    expect(err.code).toBe(ErrorCode._VALUE_DESERIALIZATION);
    expect(err.topic).toBe('users');
    expect(err.error.reason).toBe('unknown magic byte 0x7b: not a Confluent Schema Registry framed payload (expected 0x00) (users)');
    expect(err.message).toContain('code=_VALUE_DESERIALIZATION');
  });

  it('rejects a payload of 5 bytes or less, and uses KeyDeserializationError for keys', async () => {
    const err = await failure(new AvroDeserializer(registry).deserialize(Buffer.from([0, 0, 0, 0, 1]), key));
    expect(err).toBeInstanceOf(KeyDeserializationError);
    expect(err.code).toBe(ErrorCode._KEY_DESERIALIZATION);
    expect(err.message).toMatch(/payload of 5 byte\(s\) is too short/);
  });

  it('reports an unknown schema id as a typed error carrying the registry 404', async () => {
    const err = await failure(new AvroDeserializer(registry).deserialize(frame(4242, Buffer.from([2, 2, 0x61])), value));
    expect(err).toBeInstanceOf(ValueDeserializationError);
    expect(err.message).toMatch(/unknown schema id 4242: the registry has no such schema \(error 40403\)/);
    expect(err.cause).toBeInstanceOf(SchemaRegistryError);
    expect((err.cause as SchemaRegistryError).status).toBe(404);
  });

  it('names the partition and offset a consumer passes, each caller its own, even when a lookup is shared', async () => {
    const de = new AvroDeserializer(registry);
    const bytes = frame(777, Buffer.from([2, 2]));
    const [a, b] = await Promise.all([7, 8].map((offset) => failure(de.deserialize(bytes, { ...value, partition: 2, offset }))));
    expect([a.partition, a.offset, b.offset]).toEqual([2, 7, 8]);
    expect(a.error.reason).toMatch(/unknown schema id 777.* \(users\[2\]@7\)$/);
    expect(b.error.reason).toMatch(/\(users\[2\]@8\)$/);
  });

  it('reports a truncated body', async () => {
    const bytes = await new AvroSerializer(registry, V1).serialize({ id: 1, name: 'a long enough name' }, value);
    const err = await failure(new AvroDeserializer(registry).deserialize(bytes!.subarray(0, bytes!.length - 4), value));
    expect(err).toBeInstanceOf(ValueDeserializationError);
    expect(err.message).toMatch(/Avro body of \d+ byte\(s\) does not decode with writer schema id 1: truncated buffer/);
  });

  it('reports trailing bytes after the record', async () => {
    const bytes = await new AvroSerializer(registry, V1).serialize({ id: 1, name: 'a' }, value);
    const err = await failure(new AvroDeserializer(registry).deserialize(Buffer.concat([bytes!, Buffer.from([1, 2])]), value));
    expect(err.message).toMatch(/trailing data/);
  });

  it('reads data written with v1 through a v2 reader schema, filling the defaulted field', async () => {
    const bytes = await new AvroSerializer(registry, V1).serialize({ id: 9, name: 'old' }, value);
    const decoded = await new AvroDeserializer(registry, V2).deserialize(bytes, value);
    expect(decoded).toEqual({ id: 9, name: 'old', country: 'unknown' });
  });

  it('reads v2 data through a v1 reader schema, dropping the field it does not know', async () => {
    const bytes = await new AvroSerializer(registry, V2).serialize({ id: 9, name: 'new', country: 'FR' }, value);
    expect(await new AvroDeserializer(registry, V1).deserialize(bytes, value)).toEqual({ id: 9, name: 'new' });
  });

  it('rejects a writer schema the reader cannot resolve', async () => {
    const other = { type: 'record', name: 'User', namespace: 'com.acme', fields: [{ name: 'email', type: 'string' }] };
    const bytes = await new AvroSerializer(registry, V1).serialize({ id: 1, name: 'a' }, value);
    const err = await failure(new AvroDeserializer(registry, other).deserialize(bytes, value));
    expect(err.message).toMatch(/writer schema id 1 cannot be read with the reader schema com\.acme\.User/);
  });

  it('fetches each writer schema once', async () => {
    const ser = new AvroSerializer(registry, V1);
    const de = new AvroDeserializer(registry, V2);
    for (let i = 0; i < 10; i++) {
      expect(await de.deserialize(await ser.serialize({ id: i, name: 'n' }, value), value)).toEqual({
        id: i,
        name: 'n',
        country: 'unknown',
      });
    }
    expect(registry.calls.get('getById')).toBe(1);
  });

  it('passes the decoded record through fromDict', async () => {
    const bytes = await new AvroSerializer(registry, V1).serialize({ id: 2, name: 'b' }, value);
    const de = new AvroDeserializer(registry, undefined, {
      fromDict: (d) => `${(d as { name: string }).name}#${(d as { id: number }).id}`,
    });
    expect(await de.deserialize(bytes, value)).toBe('b#2');
  });

  it('refuses a schema id that holds a non-Avro schema', async () => {
    const id = await registry.register('json-value', { schema: '{"type":"object"}', schemaType: 'JSON' });
    const err = await failure(new AvroDeserializer(registry).deserialize(frame(id, Buffer.from([0])), value));
    expect(err.message).toMatch(new RegExp(`schema id ${id} is a JSON schema, not Avro`));
  });

  it('refuses an invalid reader schema at construction', () => {
    expect(() => new AvroDeserializer(registry, '{"type":"record","name":"X"}')).toThrow(ConfigException);
  });
});
