import type { SchemaRegistryClientConfig } from './schema-registry-client.config.js';
import type {
  CompatibilityLevel,
  RegisteredSchema,
  Schema,
  SchemaRegistryClientInterface,
  SchemaVersion,
} from './schema-registry-client.interface.js';
import { ConfigException } from '../errors/index.js';
import { cachedPromise, DEFAULT_CACHE_CAPACITY, LruCache } from './lru-cache.js';
import { SchemaRegistryHttp } from './schema-registry.http.js';

const seg = encodeURIComponent;

/** A schema given as text is an Avro schema. */
export function toSchema(schema: Schema | string): Schema {
  return typeof schema === 'string' ? { schema } : schema;
}

/** The request body for a schema: schemaType is left out for Avro, as Confluent's clients do. */
function schemaBody(s: Schema): Record<string, unknown> {
  const body: Record<string, unknown> = { schema: s.schema };
  if (s.schemaType && s.schemaType !== 'AVRO') body.schemaType = s.schemaType;
  if (s.references?.length) body.references = s.references;
  return body;
}

function schemaOf(answer: { schema: string; schemaType?: Schema['schemaType']; references?: Schema['references'] }): Schema {
  return { schema: answer.schema, schemaType: answer.schemaType ?? 'AVRO', references: answer.references ?? [] };
}

function registeredOf(answer: RegisteredSchema): RegisteredSchema {
  return { ...schemaOf(answer), id: answer.id, subject: answer.subject, version: answer.version };
}

/**
 * A client for the Confluent Schema Registry REST API (also served by Apicurio's `ccompat` API and Karapace),
 * as confluent_kafka's `SchemaRegistryClient`. Schemas by id, ids by (subject, schema) and fixed versions are
 * cached (they never change once registered), each cache bounded by `cache.capacity` entries (least recently
 * used forgotten first); concurrent calls for the same entry share one request.
 * @publicApi
 */
export class SchemaRegistryClient implements SchemaRegistryClientInterface {
  private readonly http: SchemaRegistryHttp;
  private readonly byId: LruCache<number, Promise<Schema>>;
  private readonly idBySchema: LruCache<string, Promise<number>>;
  private readonly lookups: LruCache<string, Promise<RegisteredSchema>>;
  private readonly versions: LruCache<string, Promise<RegisteredSchema>>;

  /**
   * @param config the registry's URL and credentials
   * @throws ConfigException on a missing or malformed URL, conflicting auth settings, or a cache capacity
   *   that is not a positive integer
   */
  constructor(config: SchemaRegistryClientConfig) {
    this.http = new SchemaRegistryHttp(config);
    const capacity = config['cache.capacity'] ?? DEFAULT_CACHE_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) throw new ConfigException('cache.capacity', 'must be a positive integer');
    this.byId = new LruCache(capacity);
    this.idBySchema = new LruCache(capacity);
    this.lookups = new LruCache(capacity);
    this.versions = new LruCache(capacity);
  }

  /**
   * Registers a schema under a subject and returns its id; an already registered schema gets its existing id.
   * @throws SchemaRegistryError 409 when incompatible with the subject's rule, 422 (42201) when invalid
   */
  register(subject: string, schema: Schema | string, normalize = false): Promise<number> {
    const s = toSchema(schema);
    return cachedPromise(this.idBySchema, cacheKey(subject, s, normalize), async () => {
      const { id } = await this.http.request<{ id: number }>(
        'POST',
        `/subjects/${seg(subject)}/versions${query({ normalize })}`,
        schemaBody(s),
      );
      this.byId.set(id, Promise.resolve({ ...s, schemaType: s.schemaType ?? 'AVRO', references: s.references ?? [] }));
      return id;
    });
  }

  /** @throws SchemaRegistryError 404 when the schema is not registered under the subject */
  lookupSchema(subject: string, schema: Schema | string, normalize = false): Promise<RegisteredSchema> {
    const s = toSchema(schema);
    return cachedPromise(this.lookups, cacheKey(subject, s, normalize), async () => {
      const answer = await this.http.request<RegisteredSchema>('POST', `/subjects/${seg(subject)}${query({ normalize })}`, schemaBody(s));
      return registeredOf({ ...answer, subject: answer.subject ?? subject });
    });
  }

  /** @throws SchemaRegistryError 404 (40403) when no schema has this id */
  getById(id: number): Promise<Schema> {
    return cachedPromise(this.byId, id, async () => schemaOf(await this.http.request<Schema>('GET', `/schemas/ids/${id}`)));
  }

  /** Not cached: the latest version changes as schemas are registered. @throws SchemaRegistryError 404 (40401) */
  async getLatestVersion(subject: string): Promise<RegisteredSchema> {
    return registeredOf(await this.http.request<RegisteredSchema>('GET', `/subjects/${seg(subject)}/versions/latest`));
  }

  /** @throws SchemaRegistryError 404 (40401 subject, 40402 version) */
  getVersion(subject: string, version: SchemaVersion): Promise<RegisteredSchema> {
    if (version === 'latest') return this.getLatestVersion(subject);
    return cachedPromise(this.versions, `${subject}\u0000${version}`, async () =>
      registeredOf(await this.http.request<RegisteredSchema>('GET', `/subjects/${seg(subject)}/versions/${version}`)),
    );
  }

  /** @throws SchemaRegistryError 404 (40401) when the subject is unknown */
  getVersions(subject: string): Promise<number[]> {
    return this.http.request<number[]>('GET', `/subjects/${seg(subject)}/versions`);
  }

  getSubjects(): Promise<string[]> {
    return this.http.request<string[]>('GET', '/subjects');
  }

  /** @throws SchemaRegistryError 404 when the subject or version is unknown, 422 when the schema is invalid */
  async testCompatibility(subject: string, schema: Schema | string, version: SchemaVersion = 'latest'): Promise<boolean> {
    const answer = await this.http.request<{ is_compatible: boolean }>(
      'POST',
      `/compatibility/subjects/${seg(subject)}/versions/${version}`,
      schemaBody(toSchema(schema)),
    );
    return answer.is_compatible === true;
  }

  /** @throws SchemaRegistryError 404 (40408) when the subject has no level of its own (Confluent) */
  async getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    const answer = await this.http.request<{ compatibilityLevel?: CompatibilityLevel; compatibility?: CompatibilityLevel }>(
      'GET',
      subject === undefined ? '/config' : `/config/${seg(subject)}`,
    );
    return (answer.compatibilityLevel ?? answer.compatibility) as CompatibilityLevel;
  }

  /** @throws SchemaRegistryError 422 (42203) on an invalid level */
  async updateCompatibility(level: CompatibilityLevel, subject?: string): Promise<CompatibilityLevel> {
    const answer = await this.http.request<{ compatibility: CompatibilityLevel }>(
      'PUT',
      subject === undefined ? '/config' : `/config/${seg(subject)}`,
      { compatibility: level },
    );
    return answer.compatibility;
  }

  /** Forgets the subject's cached entries too. @throws SchemaRegistryError 404 (40401) when unknown */
  async deleteSubject(subject: string, permanent = false): Promise<number[]> {
    const versions = await this.http.request<number[]>('DELETE', `/subjects/${seg(subject)}${query({ permanent })}`);
    this.forgetSubject(subject);
    return versions;
  }

  /** @throws SchemaRegistryError 404 (40401 subject, 40402 version) */
  async deleteVersion(subject: string, version: SchemaVersion, permanent = false): Promise<number> {
    const deleted = await this.http.request<number>('DELETE', `/subjects/${seg(subject)}/versions/${version}${query({ permanent })}`);
    this.forgetSubject(subject);
    return deleted;
  }

  private forgetSubject(subject: string): void {
    const prefix = `${subject}\u0000`;
    for (const cache of [this.idBySchema, this.lookups, this.versions]) cache.deleteWhere((key) => key.startsWith(prefix));
  }
}

function cacheKey(subject: string, s: Schema, normalize: boolean): string {
  return `${subject}\u0000${normalize}\u0000${s.schemaType ?? 'AVRO'}\u0000${s.schema}\u0000${JSON.stringify(s.references ?? [])}`;
}

function query(flags: Record<string, boolean>): string {
  const set = Object.entries(flags)
    .filter(([, on]) => on)
    .map(([k]) => `${k}=true`);
  return set.length ? `?${set.join('&')}` : '';
}
