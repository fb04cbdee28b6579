import { ConfigException } from '../../errors/index.js';
import {
  type RegisteredSchema,
  type Schema,
  type SchemaRegistryClientInterface,
  SchemaRegistryError,
  type SchemaType,
  type SubjectNameStrategy,
  topicSubjectNameStrategy,
} from '../../schema-registry/index.js';
import { cachedPromise, LruCache } from '../../schema-registry/lru-cache.js';
import { messageOf, serializationError } from '../avro/serde-error.util.js';
import type { SerializationContext } from '../serialization-context.js';
import type { RegistrySerializerConfig } from './registry-serde.config.js';

/** The schema a subject is written with: its registry id and the registered text and references. */
export interface WriterSchema {
  readonly id: number;
  readonly schema: Schema;
}

/**
 * Finds (and caches per subject) the schema a serializer writes with, by the shared options: register it,
 * look it up, or take the subject's latest version. Errors are Key/ValueSerializationErrors naming the
 * subject and what the registry said. Shared by the JSON Schema and Protobuf serializers.
 * @internal
 */
export class WriterSchemaResolver {
  private readonly autoRegister: boolean;
  private readonly useLatest: boolean;
  private readonly normalize: boolean;
  private readonly strategy: SubjectNameStrategy;
  private readonly writers = new LruCache<string, Promise<WriterSchema>>();

  /**
   * @param schemaType the format this serializer writes
   * @param own the serializer's schema; may be undefined only with use.latest.version
   * @throws ConfigException on conflicting options or a missing schema
   */
  constructor(
    private readonly client: SchemaRegistryClientInterface,
    private readonly schemaType: SchemaType,
    private readonly own: Schema | undefined,
    conf: RegistrySerializerConfig,
  ) {
    this.useLatest = conf['use.latest.version'] ?? false;
    this.autoRegister = conf['auto.register.schemas'] ?? !this.useLatest;
    if (this.useLatest && this.autoRegister)
      throw new ConfigException('use.latest.version', 'cannot be combined with auto.register.schemas');
    if (own === undefined && !this.useLatest)
      throw new ConfigException('schema', 'a writer schema is required unless use.latest.version is set');
    this.normalize = conf['normalize.schemas'] ?? false;
    this.strategy = conf['subject.name.strategy'] ?? topicSubjectNameStrategy;
  }

  /**
   * @param recordName the schema's record name for the record strategies
   * @throws KeySerializationError | ValueSerializationError
   */
  async writerFor(ctx: SerializationContext, recordName: string | undefined): Promise<WriterSchema> {
    let subject: string;
    try {
      subject = this.strategy(ctx, recordName);
    } catch (e) {
      throw serializationError(ctx, `no subject for ${ctx.field} of topic ${ctx.topic}: ${messageOf(e)}`, e);
    }
    // A failure is not remembered: the schema may be registered, or the registry back, on the next call.
    return cachedPromise(this.writers, subject, () => this.resolve(subject, ctx));
  }

  private async resolve(subject: string, ctx: SerializationContext): Promise<WriterSchema> {
    if (this.useLatest) return this.latest(subject, ctx);
    const schema = this.own!;
    try {
      const id = this.autoRegister
        ? await this.client.register(subject, schema, this.normalize)
        : (await this.client.lookupSchema(subject, schema, this.normalize)).id;
      return { id, schema };
    } catch (e) {
      throw serializationError(ctx, this.registryReason(e, subject), e);
    }
  }

  private async latest(subject: string, ctx: SerializationContext): Promise<WriterSchema> {
    let latest: RegisteredSchema;
    try {
      latest = await this.client.getLatestVersion(subject);
    } catch (e) {
      const reason =
        e instanceof SchemaRegistryError && e.isNotFound
          ? `use.latest.version is set but subject "${subject}" has no registered schema`
          : `could not fetch the latest schema of subject "${subject}": ${messageOf(e)}`;
      throw serializationError(ctx, reason, e);
    }
    if ((latest.schemaType ?? 'AVRO') !== this.schemaType) {
      throw serializationError(
        ctx,
        `the latest schema of subject "${subject}" (id ${latest.id}) is ${latest.schemaType ?? 'AVRO'}, not ${this.schemaType}`,
      );
    }
    return { id: latest.id, schema: { schema: latest.schema, schemaType: this.schemaType, references: latest.references ?? [] } };
  }

  private registryReason(e: unknown, subject: string): string {
    if (!(e instanceof SchemaRegistryError)) return `schema registration under subject "${subject}" failed: ${messageOf(e)}`;
    if (e.status === 409)
      return `schema is incompatible with the schemas registered under subject "${subject}" (registry error ${e.errorCode}): ${e.message}`;
    if (e.status === 422)
      return `the registry rejected the schema for subject "${subject}" as invalid (error ${e.errorCode}): ${e.message}`;
    if (e.isNotFound && !this.autoRegister)
      return `schema is not registered under subject "${subject}" and auto.register.schemas is false (error ${e.errorCode})`;
    return `schema registry request for subject "${subject}" failed: ${e.message}`;
  }
}

/**
 * The writer schema of an id, checked to be of the expected format.
 * @throws Error whose message is the reason (unknown id, unreachable registry, other format)
 * @internal
 */
export async function fetchWriterSchema(client: SchemaRegistryClientInterface, schemaId: number, schemaType: SchemaType): Promise<Schema> {
  let schema: Schema;
  try {
    schema = await client.getById(schemaId);
  } catch (e) {
    const reason =
      e instanceof SchemaRegistryError && e.isNotFound
        ? `unknown schema id ${schemaId}: the registry has no such schema (error ${e.errorCode})`
        : `could not fetch writer schema id ${schemaId}: ${messageOf(e)}`;
    throw new Error(reason, { cause: e });
  }
  if ((schema.schemaType ?? 'AVRO') !== schemaType)
    throw new Error(`schema id ${schemaId} is a ${schema.schemaType ?? 'AVRO'} schema, not ${schemaType}`);
  return schema;
}
