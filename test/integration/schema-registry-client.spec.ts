import { SchemaRegistryClient, SchemaRegistryError } from '../../lib/serdes/index.js';
import { uniqueTopic } from './helpers/kafka-env.js';
import { schemaRegistryUrl } from './helpers/schema-registry-env.js';

const record = (fields: object[]) => JSON.stringify({ type: 'record', name: 'Event', namespace: 'it.sr', fields });
const V1 = record([{ name: 'id', type: 'long' }]);
const V2 = record([
  { name: 'id', type: 'long' },
  { name: 'source', type: 'string', default: 'none' },
]);
const INCOMPATIBLE = record([
  { name: 'id', type: 'string' },
  { name: 'kind', type: 'string' },
]);

async function registryError(p: Promise<unknown>): Promise<SchemaRegistryError> {
  const e = await p.then(
    () => undefined,
    (err) => err,
  );
  expect(e).toBeInstanceOf(SchemaRegistryError);
  return e as SchemaRegistryError;
}

describe('SchemaRegistryClient against Apicurio (Confluent-compatible API)', () => {
  let client: SchemaRegistryClient;
  beforeAll(() => {
    client = new SchemaRegistryClient({ url: schemaRegistryUrl() });
  });

  it('registers a schema, gives the same id under another subject, and reads it back by id and version', async () => {
    const a = uniqueTopic('sr-a');
    const b = uniqueTopic('sr-b');
    const id = await client.register(`${a}-value`, V1);
    // A fresh client: no cache between the registration and the reads.
    const fresh = new SchemaRegistryClient({ url: schemaRegistryUrl() });
    expect(await fresh.register(`${b}-value`, V1)).toBe(id);
    expect(JSON.parse((await fresh.getById(id)).schema)).toEqual(JSON.parse(V1));
    const latest = await fresh.getLatestVersion(`${a}-value`);
    expect(latest).toMatchObject({ id, subject: `${a}-value`, version: 1 });
    expect((await fresh.getVersion(`${a}-value`, 1)).id).toBe(id);
    expect((await fresh.lookupSchema(`${b}-value`, V1)).id).toBe(id);
    expect(await fresh.getSubjects()).toEqual(expect.arrayContaining([`${a}-value`, `${b}-value`]));
    // normalize=true is accepted and finds the same schema.
    expect((await fresh.lookupSchema(`${a}-value`, V1, true)).id).toBe(id);
  });

  it('adds versions, checks compatibility, and refuses an incompatible registration once a rule is set (409)', async () => {
    const subject = `${uniqueTopic('sr-compat')}-value`;
    await client.register(subject, V1);
    // Apicurio enforces nothing on registration until the subject (or global) level is set.
    expect(await client.updateCompatibility('BACKWARD', subject)).toBe('BACKWARD');
    expect(await client.getCompatibility(subject)).toBe('BACKWARD');
    expect(await client.testCompatibility(subject, V2)).toBe(true);
    expect(await client.testCompatibility(subject, INCOMPATIBLE)).toBe(false);
    const v2 = await client.register(subject, V2);
    expect(await client.getVersions(subject)).toEqual([1, 2]);
    expect((await client.getLatestVersion(subject)).id).toBe(v2);
    const err = await registryError(client.register(subject, INCOMPATIBLE));
    expect(err.status).toBe(409);
    expect(err.errorCode).toBe(409);
    expect(err.message).toMatch(/Incompatible/i);
  });

  it('answers 404 with Confluent error codes for unknown ids, subjects and versions', async () => {
    const byId = await registryError(client.getById(2_000_000_000));
    expect({ status: byId.status, errorCode: byId.errorCode, isNotFound: byId.isNotFound }).toEqual({
      status: 404,
      errorCode: 40403,
      isNotFound: true,
    });
    const subject = await registryError(client.getLatestVersion(uniqueTopic('missing')));
    expect(subject.errorCode).toBe(40401);
    const known = `${uniqueTopic('sr-v')}-value`;
    await client.register(known, V1);
    const version = await registryError(client.getVersion(known, 42));
    expect(version.status).toBe(404);
    expect([40401, 40402]).toContain(version.errorCode);
  });

  it('rejects an invalid schema with 422 (42201)', async () => {
    const err = await registryError(client.register(`${uniqueTopic('sr-bad')}-value`, '{"type": "record", "name": '));
    expect(err.status).toBe(422);
    expect(err.errorCode).toBe(42201);
  });

  it('deletes a version and a subject', async () => {
    const subject = `${uniqueTopic('sr-del')}-value`;
    await client.register(subject, V1);
    await client.register(subject, V2);
    expect(await client.deleteVersion(subject, 2)).toBe(2);
    expect(await client.getVersions(subject)).toEqual([1]);
    // Confluent answers the live versions ([1]); Apicurio also lists the soft-deleted one.
    expect(await client.deleteSubject(subject)).toContain(1);
    expect(await client.getSubjects()).not.toContain(subject);
    expect((await registryError(client.getLatestVersion(subject))).errorCode).toBe(40401);
    // Confluent only deletes for good what was soft-deleted first.
    expect(await client.deleteSubject(subject, true)).toContain(1);
  });
});
