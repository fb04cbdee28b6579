import avsc from 'avsc';
import { ConfigException, ErrorCode, KeySerializationError, ValueSerializationError } from '../../../../lib/index.js';
import {
  AvroDeserializer,
  AvroSerializer,
  MessageField,
  recordSubjectNameStrategy,
  SchemaRegistryError,
  topicRecordSubjectNameStrategy,
} from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/index.js';

const USER_V1 = JSON.stringify({
  type: 'record',
  name: 'User',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
  ],
});
const value = { topic: 'users', field: MessageField.VALUE };
const key = { topic: 'users', field: MessageField.KEY };

describe('AvroSerializer (mock registry)', () => {
  let registry: MockSchemaRegistryClient;
  beforeEach(() => {
    registry = new MockSchemaRegistryClient();
  });

  it('writes magic byte 0, the registered id big-endian, then the Avro binary of the value', async () => {
    await registry.register('other-value', '"string"'); // id 1, so the user schema gets id 2
    const bytes = await new AvroSerializer(registry, USER_V1).serialize({ id: 7, name: 'ada' }, value);
    expect(bytes![0]).toBe(0);
    expect(bytes!.readUInt32BE(1)).toBe(2);
    const body = avsc.Type.forSchema(JSON.parse(USER_V1)).toBuffer({ id: 7, name: 'ada' });
    expect(bytes!.subarray(5).equals(body)).toBe(true);
    expect(await registry.getSubjects()).toEqual(['other-value', 'users-value']);
  });

  it('round-trips through AvroDeserializer', async () => {
    const bytes = await new AvroSerializer(registry, USER_V1).serialize({ id: 1, name: 'x' }, value);
    expect(await new AvroDeserializer(registry).deserialize(bytes, value)).toEqual({ id: 1, name: 'x' });
  });

  it('registers keys under <topic>-key with the default topic strategy', async () => {
    await new AvroSerializer(registry, '"string"').serialize('k1', key);
    expect(await registry.getSubjects()).toEqual(['users-key']);
  });

  it('registers under the record full name, or <topic>-<fullname>, with the record strategies', async () => {
    await new AvroSerializer(registry, USER_V1, { 'subject.name.strategy': recordSubjectNameStrategy }).serialize(
      { id: 1, name: 'a' },
      value,
    );
    await new AvroSerializer(registry, USER_V1, { 'subject.name.strategy': topicRecordSubjectNameStrategy }).serialize(
      { id: 1, name: 'a' },
      value,
    );
    expect(await registry.getSubjects()).toEqual(['com.acme.User', 'users-com.acme.User']);
  });

  it('fails with a typed error when a record strategy meets an unnamed schema', async () => {
    const s = new AvroSerializer(registry, '"string"', { 'subject.name.strategy': recordSubjectNameStrategy });
    await expect(s.serialize('x', value)).rejects.toThrow(
      /no subject for value of topic users: the record subject name strategy needs a named schema/,
    );
  });

  it('asks the registry once per subject, not once per message', async () => {
    const s = new AvroSerializer(registry, USER_V1);
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.serialize({ id: i, name: 'n' }, value)));
    expect(registry.calls.get('register')).toBe(1);
  });

  it('serializes null and undefined to null (tombstones) without touching the registry', async () => {
    const s = new AvroSerializer(registry, USER_V1);
    expect(await s.serialize(null, value)).toBeNull();
    expect(await s.serialize(undefined, value)).toBeNull();
    expect(registry.calls.size).toBe(0);
  });

  it('applies toDict before encoding', async () => {
    class U {
      constructor(readonly uid: number) {}
    }
    const s = new AvroSerializer<U>(registry, USER_V1, { toDict: (u) => ({ id: u.uid, name: `user-${u.uid}` }) });
    const bytes = await s.serialize(new U(3), value);
    expect(await new AvroDeserializer(registry).deserialize(bytes, value)).toEqual({ id: 3, name: 'user-3' });
  });

  it('rejects a value that does not match the schema with a ValueSerializationError naming the field', async () => {
    const err = await new AvroSerializer(registry, USER_V1).serialize({ id: 'seven', name: 'ada' }, value).catch((e) => e);
    expect(err).toBeInstanceOf(ValueSerializationError);
    expect(err.name).toBe('ValueSerializationError');
    expect(err.code).toBe(ErrorCode._VALUE_SERIALIZATION);
    expect(err.topic).toBe('users');
    expect(err.message).toMatch(
      /value does not match Avro schema com\.acme\.User \(id 1\): id: expected long \(a safe-integer number, or a BigInt from -2\^63 to 2\^63-1\), got "seven"/,
    );
  });

  it('reports a missing field, and uses KeySerializationError for keys', async () => {
    const err = await new AvroSerializer(registry, USER_V1).serialize({ id: 1 }, key).catch((e) => e);
    expect(err).toBeInstanceOf(KeySerializationError);
    expect(err.code).toBe(ErrorCode._KEY_SERIALIZATION);
    expect(err.message).toMatch(/name: expected string, got undefined \(missing\)/);
  });

  it('with auto.register.schemas=false, fails on an unregistered schema and uses a registered one', async () => {
    const s = new AvroSerializer(registry, USER_V1, { 'auto.register.schemas': false });
    const err = await s.serialize({ id: 1, name: 'a' }, value).catch((e) => e);
    expect(err).toBeInstanceOf(ValueSerializationError);
    expect(err.message).toMatch(/not registered under subject "users-value" and auto.register.schemas is false/);
    expect(err.cause).toBeInstanceOf(SchemaRegistryError);
    const id = await registry.register('users-value', USER_V1);
    const bytes = await s.serialize({ id: 1, name: 'a' }, value);
    expect(bytes!.readUInt32BE(1)).toBe(id);
    expect(registry.calls.get('register')).toBe(1);
  });

  it('with use.latest.version, writes with the subject latest schema and its id', async () => {
    await registry.register('users-value', USER_V1);
    const v2 = JSON.stringify({
      ...JSON.parse(USER_V1),
      fields: [...JSON.parse(USER_V1).fields, { name: 'age', type: 'int', default: 0 }],
    });
    const v2Id = await registry.register('users-value', v2);
    const s = new AvroSerializer(registry, undefined, { 'use.latest.version': true });
    const bytes = await s.serialize({ id: 1, name: 'a', age: 41 }, value);
    expect(bytes!.readUInt32BE(1)).toBe(v2Id);
    expect(await new AvroDeserializer(registry).deserialize(bytes, value)).toEqual({ id: 1, name: 'a', age: 41 });
  });

  it('with use.latest.version on an unknown subject, fails with a typed error', async () => {
    const s = new AvroSerializer(registry, undefined, { 'use.latest.version': true });
    await expect(s.serialize({ id: 1 }, value)).rejects.toThrow(
      /use.latest.version is set but subject "users-value" has no registered schema/,
    );
  });

  it('reports an incompatible registration (409) as a ValueSerializationError carrying the registry error', async () => {
    await registry.updateCompatibility('BACKWARD', 'users-value');
    await new AvroSerializer(registry, USER_V1).serialize({ id: 1, name: 'a' }, value);
    const incompatible = JSON.stringify({
      type: 'record',
      name: 'User',
      namespace: 'com.acme',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'email', type: 'string' },
      ],
    });
    const err = await new AvroSerializer(registry, incompatible).serialize({ id: 'a', email: 'b' }, value).catch((e) => e);
    expect(err).toBeInstanceOf(ValueSerializationError);
    expect(err.message).toMatch(/schema is incompatible with the schemas registered under subject "users-value" \(registry error 409\)/);
    expect(err.cause).toBeInstanceOf(SchemaRegistryError);
    expect(err.cause.status).toBe(409);
  });

  it('retries the registry after a failure instead of remembering it', async () => {
    const s = new AvroSerializer(registry, USER_V1, { 'auto.register.schemas': false });
    await expect(s.serialize({ id: 1, name: 'a' }, value)).rejects.toBeInstanceOf(ValueSerializationError);
    await registry.register('users-value', USER_V1);
    await expect(s.serialize({ id: 1, name: 'a' }, value)).resolves.toBeInstanceOf(Buffer);
  });

  it('refuses invalid configurations at construction', () => {
    expect(() => new AvroSerializer(registry, '{"type": "record"')).toThrow(ConfigException);
    expect(() => new AvroSerializer(registry, '{"type": "nope"}')).toThrow(/invalid Avro schema/);
    expect(() => new AvroSerializer(registry)).toThrow(/a writer schema is required unless use.latest.version is set/);
    expect(() => new AvroSerializer(registry, USER_V1, { 'use.latest.version': true, 'auto.register.schemas': true })).toThrow(
      /cannot be combined with auto.register.schemas/,
    );
  });

  it('accepts a schema given as a JSON object or an avsc Type', async () => {
    const asObject = new AvroSerializer(registry, JSON.parse(USER_V1));
    const asType = new AvroSerializer(registry, avsc.Type.forSchema(JSON.parse(USER_V1)));
    const a = await asObject.serialize({ id: 5, name: 'o' }, value);
    const b = await asType.serialize({ id: 5, name: 'o' }, value);
    expect(a!.subarray(5).equals(b!.subarray(5))).toBe(true);
  });
});
