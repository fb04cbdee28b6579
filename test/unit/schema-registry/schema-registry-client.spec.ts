import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigException } from '../../../lib/index.js';
import { SchemaRegistryClient, SchemaRegistryError } from '../../../lib/serdes/index.js';

/** A canned registry on 127.0.0.1 that records what it receives. */
interface Seen {
  method: string;
  url: string;
  auth?: string;
  contentType?: string;
  body: string;
}
type Reply = { status: number; body: unknown } | 'hang';

async function fakeRegistry(route: (method: string, url: string) => Reply) {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, contentType: req.headers['content-type'], body });
    const reply = route(req.method!, req.url!);
    if (reply === 'hang') return;
    res.writeHead(reply.status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const ok = (body: unknown): Reply => ({ status: 200, body });

describe('SchemaRegistryClient (REST, against a canned local server)', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));
  async function registry(route: (m: string, u: string) => Reply) {
    const r = await fakeRegistry(route);
    servers.push(r);
    return r;
  }

  it('keeps the base URL path (Apicurio /apis/ccompat/v7) and encodes subjects', async () => {
    const r = await registry(() => ok({ id: 12 }));
    const client = new SchemaRegistryClient({ url: `${r.url}/apis/ccompat/v7/` });
    expect(await client.register('a b/c-value', '"string"')).toBe(12);
    expect(r.seen[0]).toMatchObject({
      method: 'POST',
      url: '/apis/ccompat/v7/subjects/a%20b%2Fc-value/versions',
      contentType: 'application/vnd.schemaregistry.v1+json',
    });
    expect(JSON.parse(r.seen[0].body)).toEqual({ schema: '"string"' });
  });

  it('sends basic auth from basic.auth.user.info', async () => {
    const r = await registry(() => ok([]));
    await new SchemaRegistryClient({ url: r.url, 'basic.auth.user.info': 'alice:s3cr:et' }).getSubjects();
    expect(r.seen[0].auth).toBe(`Basic ${Buffer.from('alice:s3cr:et').toString('base64')}`);
  });

  it('takes basic auth credentials out of the URL (fetch refuses URLs with credentials)', async () => {
    const r = await registry(() => ok([]));
    await new SchemaRegistryClient({ url: r.url.replace('http://', 'http://bob:p%40ss@') }).getSubjects();
    expect(r.seen[0].auth).toBe(`Basic ${Buffer.from('bob:p@ss').toString('base64')}`);
  });

  it('sends a bearer token', async () => {
    const r = await registry(() => ok([]));
    await new SchemaRegistryClient({ url: r.url, 'bearer.auth.token': 'tok-123' }).getSubjects();
    expect(r.seen[0].auth).toBe('Bearer tok-123');
  });

  it('refuses bad configurations', () => {
    expect(() => new SchemaRegistryClient({ url: '' })).toThrow(ConfigException);
    expect(() => new SchemaRegistryClient({ url: 'not a url' })).toThrow(/is not a valid URL/);
    expect(() => new SchemaRegistryClient({ url: 'ftp://x' })).toThrow(/not an http\(s\) URL/);
    expect(() => new SchemaRegistryClient({ url: 'http://x', 'basic.auth.user.info': 'a:b', 'bearer.auth.token': 't' })).toThrow(
      /cannot be combined with basic auth/,
    );
    expect(() => new SchemaRegistryClient({ url: 'http://x', 'basic.auth.user.info': 'nocolon' })).toThrow(/expected "user:password"/);
    expect(() => new SchemaRegistryClient({ url: 'http://x', 'basic.auth.credentials.source': 'USER_INFO' })).toThrow(/required when/);
  });

  it('turns an error answer into a SchemaRegistryError with the status and the registry error code', async () => {
    const r = await registry(() => ({ status: 404, body: { error_code: 40403, message: 'Schema 99 not found.' } }));
    const err = await new SchemaRegistryClient({ url: r.url }).getById(99).catch((e) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect(err.name).toBe('SchemaRegistryError');
    expect(err.status).toBe(404);
    expect(err.errorCode).toBe(40403);
    expect(err.isNotFound).toBe(true);
    expect(err.request).toBe('GET /schemas/ids/99');
    expect(err.message).toBe('Schema Registry GET /schemas/ids/99 failed (404, error code 40403): Schema 99 not found.');
  });

  it('keeps the status of an error answer that is not JSON (error code -1)', async () => {
    const r = await registry(() => ({ status: 502, body: '<html>bad gateway</html>' }));
    const err = await new SchemaRegistryClient({ url: r.url }).getSubjects().catch((e) => e);
    expect(err).toMatchObject({ status: 502, errorCode: -1 });
    expect(err.message).toMatch(/<html>bad gateway<\/html>/);
  });

  it('times out a request that gets no answer (status 0)', async () => {
    const r = await registry(() => 'hang');
    const err = await new SchemaRegistryClient({ url: r.url, requestTimeoutMs: 200 }).getSubjects().catch((e) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/no answer within 200 ms/);
  });

  it('fails over to the next URL when one cannot be reached, and reports when none can', async () => {
    const r = await registry(() => ok(['s-value']));
    const dead = await fakeRegistry(() => ok([]));
    dead.close();
    expect(await new SchemaRegistryClient({ url: `${dead.url},${r.url}` }).getSubjects()).toEqual(['s-value']);
    const err = await new SchemaRegistryClient({ url: dead.url }).getSubjects().catch((e) => e);
    expect(err).toMatchObject({ name: 'SchemaRegistryError', status: 0, errorCode: -1 });
    expect(err.message).toMatch(/could not reach/);
  });

  it('caches schemas by id and ids by (subject, schema), sharing in-flight requests', async () => {
    const r = await registry((m, u) => (u.startsWith('/schemas/ids/') ? ok({ schema: '"int"' }) : ok({ id: 3 })));
    const client = new SchemaRegistryClient({ url: r.url });
    const [a, b] = await Promise.all([client.getById(3), client.getById(3)]);
    expect(a).toEqual({ schema: '"int"', schemaType: 'AVRO', references: [] });
    expect(b).toBe(a);
    await client.register('s', '"long"');
    await client.register('s', '"long"');
    await client.register('t', '"long"');
    expect(r.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /schemas/ids/3',
      'POST /subjects/s/versions',
      'POST /subjects/t/versions',
    ]);
    // The id of a schema it registered needs no lookup.
    await client.getById(3);
    expect(r.seen).toHaveLength(3);
  });

  it('bounds its caches by cache.capacity: the least recently used schema is asked for again', async () => {
    const r = await registry((_m, u) => ok({ schema: `"${u.endsWith('/1') ? 'int' : 'long'}"` }));
    const client = new SchemaRegistryClient({ url: r.url, 'cache.capacity': 2 });
    for (const id of [1, 2, 1, 3, 1, 2]) await client.getById(id);
    // 1 stays cached as the most recently used; 2 is forgotten when 3 arrives, so it is fetched twice.
    expect(r.seen.map((s) => s.url)).toEqual(['/schemas/ids/1', '/schemas/ids/2', '/schemas/ids/3', '/schemas/ids/2']);
  });

  it("sends a schema's references when registering and looking it up", async () => {
    const r = await registry(() => ok({ id: 5, subject: 's', version: 1, schema: '{}' }));
    const client = new SchemaRegistryClient({ url: r.url });
    const schema = {
      schema: '{"type":"record","name":"P","fields":[{"name":"a","type":"A"}]}',
      references: [{ name: 'A', subject: 'a', version: 2 }],
    };
    await client.register('s', schema);
    await client.lookupSchema('s', schema);
    expect(r.seen.map((s) => JSON.parse(s.body).references)).toEqual([schema.references, schema.references]);
  });

  it('does not cache failures', async () => {
    let first = true;
    const r = await registry(() => {
      if (first) {
        first = false;
        return { status: 500, body: { error_code: 50001, message: 'boom' } };
      }
      return ok({ schema: '"int"' });
    });
    const client = new SchemaRegistryClient({ url: r.url });
    await expect(client.getById(1)).rejects.toMatchObject({ status: 500, errorCode: 50001 });
    await expect(client.getById(1)).resolves.toMatchObject({ schema: '"int"' });
  });

  it('maps the rest of the API onto the Confluent paths', async () => {
    const r = await registry((m, u) => {
      if (u.startsWith('/config')) return ok(m === 'PUT' ? { compatibility: 'FULL' } : { compatibilityLevel: 'BACKWARD' });
      if (u.startsWith('/compatibility')) return ok({ is_compatible: true });
      if (m === 'DELETE') return ok(u.includes('/versions/') ? 2 : [1, 2]);
      if (u.endsWith('/versions')) return ok([1, 2]);
      return ok({ subject: 's', id: 5, version: 2, schema: '"int"' });
    });
    const c = new SchemaRegistryClient({ url: r.url });
    expect(await c.getLatestVersion('s')).toEqual({ subject: 's', id: 5, version: 2, schema: '"int"', schemaType: 'AVRO', references: [] });
    expect((await c.getVersion('s', 2)).id).toBe(5);
    expect((await c.lookupSchema('s', '"int"', true)).version).toBe(2);
    expect(await c.getVersions('s')).toEqual([1, 2]);
    expect(await c.testCompatibility('s', '"int"')).toBe(true);
    expect(await c.getCompatibility()).toBe('BACKWARD');
    expect(await c.getCompatibility('s')).toBe('BACKWARD');
    expect(await c.updateCompatibility('FULL', 's')).toBe('FULL');
    expect(await c.deleteVersion('s', 2)).toBe(2);
    expect(await c.deleteSubject('s', true)).toEqual([1, 2]);
    expect(r.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /subjects/s/versions/latest',
      'GET /subjects/s/versions/2',
      'POST /subjects/s?normalize=true',
      'GET /subjects/s/versions',
      'POST /compatibility/subjects/s/versions/latest',
      'GET /config',
      'GET /config/s',
      'PUT /config/s',
      'DELETE /subjects/s/versions/2',
      'DELETE /subjects/s?permanent=true',
    ]);
    expect(JSON.parse(r.seen[7].body)).toEqual({ compatibility: 'FULL' });
  });
});
