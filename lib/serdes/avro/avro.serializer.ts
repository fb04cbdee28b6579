import type avsc from 'avsc';
import { ConfigException } from '../../errors/index.js';
import {
  type Schema,
  type SchemaRegistryClientInterface,
  SchemaRegistryError,
  type SubjectNameStrategy,
  topicSubjectNameStrategy,
} from '../../schema-registry/index.js';
import { cachedPromise, LruCache } from '../../schema-registry/lru-cache.js';
import type { SerializationContext } from '../serialization-context.js';
import type { Serializer } from '../serializer.interface.js';
import type { AvroSerializerConfig } from './avro-serde.config.js';
import { loadAvroType } from './avro-references.js';
import {
  type AvroSchemaInput,
  type AvroSchemaSource,
  avroSchemaSource,
  explainInvalid,
  fullNameOf,
  parseAvroSchema,
} from './avro-schema.util.js';
import { frame } from './confluent-wire-format.js';
import type { AvroValueOptions } from './types/avro-value.options.js';
import { messageOf, serializationError } from './serde-error.util.js';

/** The schema a subject is written with, and its registry id. */
interface Writer {
  readonly id: number;
  readonly type: avsc.Type;
}

/**
 * Encodes values as Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro
 * binary), registering or looking up the schema in a Schema Registry, as confluent_kafka's `AvroSerializer`.
 * Null and undefined serialize to null (a tombstone). Longs and logical types are written exactly or refused
 * (see `AvroValueOptions`). A schema given as a registry `Schema` with references is registered with them,
 * and its named types are fetched from the referenced subject versions. Every failure rejects with a
 * `KeySerializationError` or `ValueSerializationError` (by the context's field) whose `cause` is the
 * underlying error.
 * @publicApi
 */
export class AvroSerializer<T = unknown> implements Serializer<T> {
  private readonly schema?: AvroSchemaSource;
  /** The parsed writer schema when it needs no references (parsed at construction, so errors come early). */
  private readonly type?: avsc.Type;
  private readonly values: AvroValueOptions;
  private readonly autoRegister: boolean;
  private readonly useLatest: boolean;
  private readonly normalize: boolean;
  private readonly strategy: SubjectNameStrategy;
  private readonly toDict?: AvroSerializerConfig<T>['toDict'];
  /** Per subject: the id and the type to write with. */
  private readonly writers = new LruCache<string, Promise<Writer>>();

  /**
   * @param client the Schema Registry client (or a `MockSchemaRegistryClient`)
   * @param schema the writer schema; may be omitted only with `use.latest.version`
   * @param conf serializer options
   * @throws ConfigException on an invalid schema or conflicting options
   */
  constructor(
    private readonly client: SchemaRegistryClientInterface,
    schema?: AvroSchemaInput,
    conf: AvroSerializerConfig<T> = {},
  ) {
    this.useLatest = conf['use.latest.version'] ?? false;
    this.autoRegister = conf['auto.register.schemas'] ?? !this.useLatest;
    if (this.useLatest && this.autoRegister) {
      throw new ConfigException('use.latest.version', 'cannot be combined with auto.register.schemas');
    }
    if (schema === undefined && !this.useLatest) {
      throw new ConfigException('schema', 'a writer schema is required unless use.latest.version is set');
    }
    this.values = { longs: conf.longs, logicalTypes: conf.logicalTypes };
    if (schema !== undefined) {
      try {
        this.schema = avroSchemaSource(schema);
        if (!this.schema.references.length) this.type = parseAvroSchema(this.schema, this.values).type;
      } catch (e) {
        throw new ConfigException('schema', `invalid Avro schema: ${messageOf(e)}`);
      }
    }
    this.normalize = conf['normalize.schemas'] ?? false;
    this.strategy = conf['subject.name.strategy'] ?? topicSubjectNameStrategy;
    this.toDict = conf.toDict;
  }

  /**
   * @param value the value (or key) to encode; null/undefined give null
   * @param ctx the topic and field
   * @returns the framed bytes
   * @throws KeySerializationError | ValueSerializationError when the subject cannot be named, the schema is
   *   not registered (and may not be), the registry rejects it (incompatible: 409) or cannot be reached, or
   *   the value does not match the schema
   */
  async serialize(value: T, ctx: SerializationContext): Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    let record: unknown = value;
    if (this.toDict) {
      try {
        record = this.toDict(value, ctx);
      } catch (e) {
        throw serializationError(ctx, `toDict failed: ${messageOf(e)}`, e);
      }
    }
    const writer = await this.writerFor(ctx);
    const invalid = explainInvalid(writer.type, record);
    if (invalid !== undefined) {
      throw serializationError(ctx, `${ctx.field} does not match Avro schema ${describeType(writer.type)} (id ${writer.id}): ${invalid}`);
    }
    try {
      return frame(writer.id, writer.type.toBuffer(record));
    } catch (e) {
      throw serializationError(ctx, `Avro encoding failed: ${messageOf(e)}`, e);
    }
  }

  private async writerFor(ctx: SerializationContext): Promise<Writer> {
    let subject: string;
    try {
      subject = this.strategy(ctx, this.schema ? fullNameOf(this.schema.json) : undefined);
    } catch (e) {
      throw serializationError(ctx, `no subject for ${ctx.field} of topic ${ctx.topic}: ${messageOf(e)}`, e);
    }
    // A failure is not remembered: the schema may be registered, or the registry back, on the next call.
    return cachedPromise(this.writers, subject, () => this.resolveWriter(subject, ctx));
  }

  private async resolveWriter(subject: string, ctx: SerializationContext): Promise<Writer> {
    if (this.useLatest) return this.latestWriter(subject, ctx);
    const source = this.schema!;
    const schema: Schema = { schema: source.text, schemaType: 'AVRO', references: source.references };
    let id: number;
    try {
      id = this.autoRegister
        ? await this.client.register(subject, schema, this.normalize)
        : (await this.client.lookupSchema(subject, schema, this.normalize)).id;
    } catch (e) {
      throw serializationError(ctx, this.registryReason(e, subject), e);
    }
    return { id, type: this.type ?? (await this.referencedType(source.text, source.references, `schema id ${id}`, ctx)) };
  }

  private async referencedType(
    text: string,
    references: Schema['references'],
    what: string,
    ctx: SerializationContext,
  ): Promise<avsc.Type> {
    try {
      return await loadAvroType(this.client, text, references, this.values);
    } catch (e) {
      throw serializationError(ctx, `${what} is not a usable Avro schema: ${messageOf(e)}`, e);
    }
  }

  private async latestWriter(subject: string, ctx: SerializationContext): Promise<Writer> {
    let latest;
    try {
      latest = await this.client.getLatestVersion(subject);
    } catch (e) {
      const reason =
        e instanceof SchemaRegistryError && e.isNotFound
          ? `use.latest.version is set but subject "${subject}" has no registered schema`
          : `could not fetch the latest schema of subject "${subject}": ${messageOf(e)}`;
      throw serializationError(ctx, reason, e);
    }
    if (latest.schemaType && latest.schemaType !== 'AVRO') {
      throw serializationError(ctx, `the latest schema of subject "${subject}" (id ${latest.id}) is ${latest.schemaType}, not Avro`);
    }
    return {
      id: latest.id,
      type: await this.referencedType(latest.schema, latest.references, `the latest schema of subject "${subject}" (id ${latest.id})`, ctx),
    };
  }

  private registryReason(e: unknown, subject: string): string {
    if (!(e instanceof SchemaRegistryError)) return `schema registration under subject "${subject}" failed: ${messageOf(e)}`;
    if (e.status === 409) {
      return `schema is incompatible with the schemas registered under subject "${subject}" (registry error ${e.errorCode}): ${messageOf(e)}`;
    }
    if (e.status === 422)
      return `the registry rejected the schema for subject "${subject}" as invalid (error ${e.errorCode}): ${e.message}`;
    if (e.isNotFound && !this.autoRegister) {
      return `schema is not registered under subject "${subject}" and auto.register.schemas is false (error ${e.errorCode})`;
    }
    return `schema registry request for subject "${subject}" failed: ${e.message}`;
  }
}

function describeType(type: avsc.Type): string {
  return type.name ?? type.typeName;
}
