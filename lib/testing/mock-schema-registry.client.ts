import type avsc from 'avsc';
import type {
  CompatibilityLevel,
  RegisteredSchema,
  Schema,
  SchemaRegistryClientInterface,
  SchemaVersion,
} from '../schema-registry/index.js';
import { SchemaRegistryError } from '../schema-registry/index.js';
import { avroSchemaSource, parseAvroSchema } from '../serdes/avro/avro-schema.util.js';

interface StoredVersion {
  readonly version: number;
  readonly id: number;
  deleted: boolean;
}

const LEVELS: readonly CompatibilityLevel[] = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
];

function normalized(schema: Schema | string): Schema {
  const s = typeof schema === 'string' ? { schema } : schema;
  return { schema: s.schema, schemaType: s.schemaType ?? 'AVRO', references: s.references ?? [] };
}

function contentKey(s: Schema): string {
  return `${s.schemaType}\u0000${s.schema}\u0000${JSON.stringify(s.references)}`;
}

/** Whether data written with `writer` can be read with `reader` (Avro schema resolution). */
function canRead(reader: avsc.Type, writer: avsc.Type): boolean {
  try {
    reader.createResolver(writer);
    return true;
  } catch {
    return false;
  }
}

/**
 * An in-memory Schema Registry for unit tests, as confluent's `MockClient`: ids are shared by identical
 * schemas across subjects, versions count from 1, compatibility levels are enforced for Avro on registration
 * (409) using Avro schema resolution, and errors carry the registry's codes (40401 subject, 40402 version,
 * 40403 schema, 42201 invalid schema or unresolvable reference, 409 incompatible). Schema references are
 * resolved against the subjects registered here. The global level defaults to BACKWARD, as Confluent's.
 * @publicApi
 */
export class MockSchemaRegistryClient implements SchemaRegistryClientInterface {
  private readonly schemas = new Map<number, Schema>();
  private readonly idsByContent = new Map<string, number>();
  private readonly subjects = new Map<string, StoredVersion[]>();
  private readonly levels = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel = 'BACKWARD';
  private nextId = 1;
  /** How many calls each method received, for tests that check caching. */
  readonly calls = new Map<string, number>();

  /** @throws SchemaRegistryError 42201 (invalid Avro), 409 (incompatible) */
  async register(subject: string, schema: Schema | string): Promise<number> {
    this.count('register');
    const s = normalized(schema);
    const types = s.schemaType === 'AVRO' ? this.parse(s, 'register') : undefined;
    const live = this.live(subject);
    const existing = live.find((v) => contentKey(this.schemas.get(v.id)!) === contentKey(s));
    if (existing) return existing.id;
    if (types && !this.compatible(subject, types, live)) {
      throw new SchemaRegistryError(
        409,
        409,
        `Schema being registered is incompatible with an earlier schema for subject "${subject}"`,
        'register',
      );
    }
    const id = this.idFor(s);
    const all = this.subjects.get(subject) ?? [];
    all.push({ version: (all.at(-1)?.version ?? 0) + 1, id, deleted: false });
    this.subjects.set(subject, all);
    return id;
  }

  /** @throws SchemaRegistryError 40401 (subject), 40403 (not registered under it) */
  async lookupSchema(subject: string, schema: Schema | string): Promise<RegisteredSchema> {
    this.count('lookupSchema');
    const s = normalized(schema);
    const live = this.requireSubject(subject, 'lookupSchema');
    const hit = live.find((v) => contentKey(this.schemas.get(v.id)!) === contentKey(s));
    if (!hit) throw new SchemaRegistryError(404, 40403, 'Schema not found', 'lookupSchema');
    return this.registered(subject, hit);
  }

  /** @throws SchemaRegistryError 40403 */
  async getById(id: number): Promise<Schema> {
    this.count('getById');
    const s = this.schemas.get(id);
    if (!s) throw new SchemaRegistryError(404, 40403, `Schema ${id} not found`, 'getById');
    return s;
  }

  async getLatestVersion(subject: string): Promise<RegisteredSchema> {
    return this.getVersion(subject, 'latest');
  }

  /** @throws SchemaRegistryError 40401, 40402 */
  async getVersion(subject: string, version: SchemaVersion): Promise<RegisteredSchema> {
    this.count('getVersion');
    const live = this.requireSubject(subject, 'getVersion');
    const v = version === 'latest' ? live.at(-1) : live.find((x) => x.version === version);
    if (!v) throw new SchemaRegistryError(404, 40402, `Version ${version} not found`, 'getVersion');
    return this.registered(subject, v);
  }

  async getVersions(subject: string): Promise<number[]> {
    return this.requireSubject(subject, 'getVersions').map((v) => v.version);
  }

  async getSubjects(): Promise<string[]> {
    return [...this.subjects.keys()].filter((s) => this.live(s).length > 0).sort();
  }

  async testCompatibility(subject: string, schema: Schema | string, version: SchemaVersion = 'latest'): Promise<boolean> {
    const s = normalized(schema);
    if (s.schemaType !== 'AVRO') return true;
    const live = this.requireSubject(subject, 'testCompatibility');
    const against = version === 'latest' ? live : live.filter((v) => v.version <= version);
    return this.compatible(subject, this.parse(s, 'testCompatibility'), against);
  }

  /** The subject's own level, or the global one. */
  async getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    return (subject !== undefined ? this.levels.get(subject) : undefined) ?? this.globalLevel;
  }

  /** @throws SchemaRegistryError 42203 on an unknown level */
  async updateCompatibility(level: CompatibilityLevel, subject?: string): Promise<CompatibilityLevel> {
    if (!LEVELS.includes(level)) throw new SchemaRegistryError(422, 42203, `Invalid compatibility level ${level}`, 'updateCompatibility');
    if (subject === undefined) this.globalLevel = level;
    else this.levels.set(subject, level);
    return level;
  }

  async deleteSubject(subject: string, permanent = false): Promise<number[]> {
    const target = permanent ? (this.subjects.get(subject) ?? []) : this.live(subject);
    if (!target.length) throw new SchemaRegistryError(404, 40401, `Subject '${subject}' not found.`, 'deleteSubject');
    if (permanent) this.subjects.delete(subject);
    else
      target.forEach((v) => {
        v.deleted = true;
      });
    return target.map((v) => v.version);
  }

  async deleteVersion(subject: string, version: SchemaVersion, permanent = false): Promise<number> {
    const live = this.requireSubject(subject, 'deleteVersion');
    const v = version === 'latest' ? live.at(-1) : live.find((x) => x.version === version);
    if (!v) throw new SchemaRegistryError(404, 40402, `Version ${version} not found`, 'deleteVersion');
    v.deleted = true;
    if (permanent)
      this.subjects.set(
        subject,
        this.subjects.get(subject)!.filter((x) => x !== v),
      );
    return v.version;
  }

  private compatible(subject: string, candidate: avsc.Type, live: StoredVersion[]): boolean {
    const level = this.levels.get(subject) ?? this.globalLevel;
    if (level === 'NONE' || live.length === 0) return true;
    const against = level.endsWith('_TRANSITIVE') ? live : live.slice(-1);
    return against.every((v) => {
      const old = this.parse(this.schemas.get(v.id)!, 'compatibility');
      const backward = canRead(candidate, old);
      const forward = canRead(old, candidate);
      if (level.startsWith('BACKWARD')) return backward;
      if (level.startsWith('FORWARD')) return forward;
      return backward && forward;
    });
  }

  /** Parses an Avro schema as the serdes do (exact longs), its references resolved from this registry. */
  private parse(s: Schema, request: string): avsc.Type {
    try {
      return parseAvroSchema(avroSchemaSource(s.schema), {}, this.namedTypes(s.references ?? [], {}, new Set())).type;
    } catch (e) {
      throw new SchemaRegistryError(422, 42201, `Invalid schema: ${(e as Error).message}`, request);
    }
  }

  private namedTypes(refs: Schema['references'] & object, named: Record<string, avsc.Type>, done: Set<string>): Record<string, avsc.Type> {
    for (const ref of refs) {
      const key = `${ref.subject}\u0000${ref.version}`;
      if (done.has(key)) continue;
      done.add(key);
      const v = this.live(ref.subject).find((x) => x.version === ref.version);
      if (!v) throw new Error(`reference ${ref.name} to subject "${ref.subject}" version ${ref.version}: not registered`);
      const referenced = this.schemas.get(v.id)!;
      this.namedTypes(referenced.references ?? [], named, done);
      parseAvroSchema(avroSchemaSource(referenced.schema), {}, named);
    }
    return named;
  }

  private idFor(s: Schema): number {
    const key = contentKey(s);
    let id = this.idsByContent.get(key);
    if (id === undefined) {
      id = this.nextId++;
      this.idsByContent.set(key, id);
      this.schemas.set(id, s);
    }
    return id;
  }

  private live(subject: string): StoredVersion[] {
    return (this.subjects.get(subject) ?? []).filter((v) => !v.deleted);
  }

  private requireSubject(subject: string, request: string): StoredVersion[] {
    const live = this.live(subject);
    if (!live.length) throw new SchemaRegistryError(404, 40401, `Subject '${subject}' not found.`, request);
    return live;
  }

  private registered(subject: string, v: StoredVersion): RegisteredSchema {
    return { ...this.schemas.get(v.id)!, id: v.id, subject, version: v.version };
  }

  private count(method: string): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }
}
