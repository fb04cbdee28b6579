import type { ValidateFunction } from 'ajv';
import { ConfigException } from '../../errors/index.js';
import type { SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { cachedPromise, LruCache } from '../../schema-registry/lru-cache.js';
import { messageOf, serializationError } from '../avro/serde-error.util.js';
import { frame } from '../avro/confluent-wire-format.js';
import { type JsonSchemaPeers, loadJsonSchemaPeers } from '../registry/load-optional-peer.js';
import type { PeerRequire } from '../registry/peer-require.js';
import { type WriterSchema, WriterSchemaResolver } from '../registry/writer-schema.js';
import type { SerializationContext } from '../serialization-context.js';
import type { Serializer } from '../serializer.interface.js';
import { forValidation, parseExactJson, stringifyExactJson } from '../registry/exact-json.js';
import type { JsonSchemaInput, JsonSchemaSerializerConfig } from './json-schema-serde.config.js';
import { compileJsonSchema, explainErrors, type JsonSchemaSource, jsonSchemaSource, titleOf } from './json-schema-validator.js';

/**
 * Encodes values as JSON in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, UTF-8
 * JSON), registering or looking up the schema in a Schema Registry, as confluent_kafka's `JSONSerializer`.
 * Every value is validated (ajv, with ajv-formats) against the schema it is written with, as the reader will
 * see it: the JSON text is parsed back and validated. BigInts are written as exact integer literals; NaN and
 * ±Infinity are refused (JSON cannot hold them). Null and undefined serialize to null (a tombstone). Every
 * failure rejects with a `KeySerializationError` or `ValueSerializationError` whose `cause` is the
 * underlying error. Needs the optional packages `ajv` and `ajv-formats`.
 * @publicApi
 */
export class JsonSchemaSerializer<T = unknown> implements Serializer<T> {
  private readonly source?: JsonSchemaSource;
  private readonly peers: JsonSchemaPeers;
  private readonly writers: WriterSchemaResolver;
  private readonly toDict?: JsonSchemaSerializerConfig<T>['toDict'];
  private readonly validators = new LruCache<number, Promise<ValidateFunction>>();

  /**
   * @param client the Schema Registry client (or a `MockSchemaRegistryClient`)
   * @param schema the writer schema; may be omitted only with `use.latest.version`
   * @param conf serializer options
   * @param req how optional packages are loaded (a seam for tests)
   * @throws MissingDependencyError when ajv or ajv-formats is not installed
   * @throws ConfigException on an invalid schema or conflicting options
   */
  constructor(
    private readonly client: SchemaRegistryClientInterface,
    schema?: JsonSchemaInput,
    conf: JsonSchemaSerializerConfig<T> = {},
    req?: PeerRequire,
  ) {
    this.peers = loadJsonSchemaPeers('JsonSchemaSerializer', req);
    try {
      if (schema !== undefined) this.source = jsonSchemaSource(schema);
    } catch (e) {
      throw new ConfigException('schema', `invalid JSON Schema: ${messageOf(e)}`);
    }
    const own = this.source && { schema: this.source.text, schemaType: 'JSON' as const, references: this.source.references };
    this.writers = new WriterSchemaResolver(client, 'JSON', own, conf);
    this.toDict = conf.toDict;
  }

  /**
   * @param value the value (or key) to encode; null/undefined give null
   * @param ctx the topic and field
   * @returns the framed bytes
   * @throws KeySerializationError | ValueSerializationError when the subject cannot be named, the registry
   *   refuses the schema or cannot be reached, the value has no exact JSON form, or it does not validate
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
    const writer = await this.writers.writerFor(ctx, this.source && titleOf(this.source.json));
    const validate = await this.validatorFor(writer, ctx);
    let text: string;
    try {
      text = stringifyExactJson(record);
    } catch (e) {
      throw serializationError(ctx, `${ctx.field} has no exact JSON form: ${messageOf(e)}`, e);
    }
    // Validated as the reader will parse it: toJSON() results, dropped undefined members and all.
    if (!validate(forValidation(parseExactJson(text)))) {
      throw serializationError(ctx, `${ctx.field} does not match JSON Schema id ${writer.id}: ${explainErrors(validate)}`);
    }
    return frame(writer.id, Buffer.from(text, 'utf8'));
  }

  private validatorFor(writer: WriterSchema, ctx: SerializationContext): Promise<ValidateFunction> {
    return cachedPromise(this.validators, writer.id, async () => {
      try {
        const source = writer.schema.schema === this.source?.text ? this.source : jsonSchemaSource(writer.schema);
        return await compileJsonSchema(this.client, source, this.peers);
      } catch (e) {
        throw serializationError(ctx, `JSON Schema id ${writer.id} is not usable: ${messageOf(e)}`, e);
      }
    });
  }
}
