import { ConfigException, MissingDependencyError, ValueDeserializationError, ValueSerializationError } from '../../../../lib/index.js';
import { JsonSchemaDeserializer, JsonSchemaSerializer, MessageField, recordSubjectNameStrategy } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/mock-schema-registry.client.js';

const ctx = { topic: 'orders', field: MessageField.VALUE };
const ORDER = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  type: 'object',
  properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' }, note: { type: 'string' } },
  required: ['id'],
  additionalProperties: false,
};

describe('JsonSchemaSerializer / JsonSchemaDeserializer (mock registry)', () => {
  let registry: MockSchemaRegistryClient;
  beforeEach(() => {
    registry = new MockSchemaRegistryClient();
  });

  it('round-trips through the Confluent wire format, registering under <topic>-value', async () => {
    const ser = new JsonSchemaSerializer(registry, ORDER);
    const bytes = (await ser.serialize({ id: 7, email: 'a@b.example', note: '𝄞 😀' }, ctx))!;
    expect(bytes[0]).toBe(0);
    const id = bytes.readUInt32BE(1);
    expect(JSON.parse(bytes.subarray(5).toString('utf8'))).toEqual({ id: 7, email: 'a@b.example', note: '𝄞 😀' });
    expect((await registry.getLatestVersion('orders-value')).id).toBe(id);
    expect(await new JsonSchemaDeserializer(registry).deserialize(bytes, ctx)).toEqual({ id: 7, email: 'a@b.example', note: '𝄞 😀' });
  });

  it('validates on write (types, formats, additionalProperties) with a typed error naming the path', async () => {
    const ser = new JsonSchemaSerializer(registry, ORDER);
    await expect(ser.serialize({ id: 1.5 }, ctx)).rejects.toThrow(/\/id: must be integer/);
    await expect(ser.serialize({ id: 1, email: 'nope' }, ctx)).rejects.toThrow(/\/email: must match format "email"/);
    await expect(ser.serialize({ id: 1, extra: true }, ctx)).rejects.toBeInstanceOf(ValueSerializationError);
  });

  it('writes BigInts as exact literals and reads integers beyond 2^53 back as exact BigInts', async () => {
    const ser = new JsonSchemaSerializer(registry, ORDER);
    for (const n of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n) - 1n]) {
      const bytes = (await ser.serialize({ id: n }, ctx))!;
      expect(bytes.subarray(5).toString()).toBe(`{"id":${n}}`);
      expect(await new JsonSchemaDeserializer(registry).deserialize(bytes, ctx)).toEqual({ id: n });
    }
    expect(await new JsonSchemaDeserializer(registry).deserialize((await ser.serialize({ id: 2 ** 53 - 1 }, ctx))!, ctx)).toEqual({
      id: 2 ** 53 - 1,
    });
  });

  it("refuses unsafe integers on read with unsafeIntegers: 'error', and NaN/Infinity on write", async () => {
    const bytes = (await new JsonSchemaSerializer(registry, ORDER).serialize({ id: 2n ** 60n }, ctx))!;
    await expect(new JsonSchemaDeserializer(registry, undefined, { unsafeIntegers: 'error' }).deserialize(bytes, ctx)).rejects.toThrow(
      /1152921504606846976 is beyond/,
    );
    const ser = new JsonSchemaSerializer(registry, { type: 'object', properties: { d: { type: 'number' } } });
    await expect(ser.serialize({ d: Number.NaN }, ctx)).rejects.toThrow(/JSON has no NaN/);
    await expect(ser.serialize({ d: -Infinity }, ctx)).rejects.toThrow(ValueSerializationError);
    const negZero = (await new JsonSchemaDeserializer(registry).deserialize((await ser.serialize({ d: -0 }, ctx))!, ctx)) as { d: number };
    expect(Object.is(negZero.d, -0)).toBe(true);
  });

  it('keeps a payload string that looks like an internal marker as a string', async () => {
    const ser = new JsonSchemaSerializer(registry, { type: 'object' });
    const value = { s: '\u0000exact-int-0:5', big: 2n ** 62n, t: '\u0000big-0' };
    expect(await new JsonSchemaDeserializer(registry).deserialize((await ser.serialize(value, ctx))!, ctx)).toEqual(value);
  });

  it('validates on read against the writer schema, or not with validate: false; errors name the schema id', async () => {
    const id = await registry.register('orders-value', { schema: JSON.stringify(ORDER), schemaType: 'JSON' });
    const forged = Buffer.concat([Buffer.from([0, 0, 0, 0, id]), Buffer.from('{"id":"x"}')]);
    await expect(new JsonSchemaDeserializer(registry).deserialize(forged, { ...ctx, partition: 2, offset: 9 })).rejects.toMatchObject({
      name: 'ValueDeserializationError',
      message: expect.stringMatching(new RegExp(`schema id ${id}.*/id: must be integer`)),
      partition: 2,
      offset: 9,
    });
    expect(await new JsonSchemaDeserializer(registry, undefined, { validate: false }).deserialize(forged, ctx)).toEqual({ id: 'x' });
    const unknown = Buffer.concat([Buffer.from([0, 0, 0, 0, 99]), Buffer.from('{}')]);
    await expect(new JsonSchemaDeserializer(registry).deserialize(unknown, ctx)).rejects.toThrow(/unknown schema id 99/);
    await expect(new JsonSchemaDeserializer(registry).deserialize(Buffer.from([1, 0, 0, 0, 1, 0x7b]), ctx)).rejects.toBeInstanceOf(
      ValueDeserializationError,
    );
    await expect(
      new JsonSchemaDeserializer(registry, undefined, { validate: false }).deserialize(Buffer.from([0, 0, 0, 0, 1, 0xff]), ctx),
    ).rejects.toThrow(/does not decode/);
  });

  it('resolves $refs to other registered subjects (and nested references), draft-07 and 2020-12', async () => {
    const money = {
      type: 'object',
      properties: { units: { type: 'integer' }, currency: { type: 'string', minLength: 3 } },
      required: ['currency'],
    };
    const mv = await registry.register('money', { schema: JSON.stringify(money), schemaType: 'JSON' });
    const line = { type: 'object', properties: { price: { $ref: 'money.json' } }, required: ['price'] };
    await registry.register('line', {
      schema: JSON.stringify(line),
      schemaType: 'JSON',
      references: [{ name: 'money.json', subject: 'money', version: 1 }],
    });
    expect(mv).toBeGreaterThan(0);
    for (const dialect of ['http://json-schema.org/draft-07/schema#', 'https://json-schema.org/draft/2020-12/schema']) {
      const order = { $schema: dialect, title: 'Order', type: 'object', properties: { line: { $ref: 'line.json' } }, required: ['line'] };
      const schema = {
        schema: JSON.stringify(order),
        schemaType: 'JSON' as const,
        references: [{ name: 'line.json', subject: 'line', version: 1 }],
      };
      const ser = new JsonSchemaSerializer(registry, schema, { 'subject.name.strategy': recordSubjectNameStrategy });
      const bytes = (await ser.serialize({ line: { price: { units: 5, currency: 'EUR' } } }, ctx))!;
      expect(await new JsonSchemaDeserializer(registry).deserialize(bytes, ctx)).toEqual({
        line: { price: { units: 5, currency: 'EUR' } },
      });
      await expect(ser.serialize({ line: { price: { currency: 'E' } } }, ctx)).rejects.toThrow(/\/line\/price\/currency/);
    }
    expect(await registry.getSubjects()).toContain('Order');
  });

  it('use.latest.version writes with the latest schema; auto.register false refuses an unregistered one', async () => {
    await expect(new JsonSchemaSerializer(registry, ORDER, { 'auto.register.schemas': false }).serialize({ id: 1 }, ctx)).rejects.toThrow(
      /not registered under subject "orders-value"/,
    );
    const id = await registry.register('orders-value', { schema: JSON.stringify(ORDER), schemaType: 'JSON' });
    const bytes = (await new JsonSchemaSerializer(registry, undefined, { 'use.latest.version': true }).serialize({ id: 1 }, ctx))!;
    expect(bytes.readUInt32BE(1)).toBe(id);
    expect(() => new JsonSchemaSerializer(registry, ORDER, { 'use.latest.version': true, 'auto.register.schemas': true })).toThrow(
      ConfigException,
    );
  });

  it('validates on read against a reader schema (evolution: reader newer than the writer)', async () => {
    const v1 = (await new JsonSchemaSerializer(registry, ORDER).serialize({ id: 3 }, ctx))!;
    const newer = { ...ORDER, properties: { ...ORDER.properties, tags: { type: 'array', items: { type: 'string' }, default: [] } } };
    expect(await new JsonSchemaDeserializer(registry, newer).deserialize(v1, ctx)).toEqual({ id: 3 });
    const stricter = { ...ORDER, required: ['id', 'note'] };
    await expect(new JsonSchemaDeserializer(registry, stricter).deserialize(v1, ctx)).rejects.toThrow(
      /reader schema.*must have required property 'note'/,
    );
  });

  it('fails construction with MissingDependencyError naming ajv when it is not installed', () => {
    const missing = (name: string) => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => new JsonSchemaSerializer(registry, ORDER, {}, missing)).toThrow(MissingDependencyError);
    expect(() => new JsonSchemaDeserializer(registry, undefined, {}, missing)).toThrow(/needs the optional package "ajv"/);
  });
});
