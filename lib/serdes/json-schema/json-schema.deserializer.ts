import type { ValidateFunction } from 'ajv';
import { ConfigException } from '../../errors/index.js';
import type { SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { cachedPromise, LruCache } from '../../schema-registry/lru-cache.js';
import { unframe } from '../avro/confluent-wire-format.js';
import { deserializationError, type LocatedSerializationContext, messageOf } from '../avro/serde-error.util.js';
import { type JsonSchemaPeers, loadJsonSchemaPeers } from '../registry/load-optional-peer.js';
import type { PeerRequire } from '../registry/peer-require.js';
import { fetchWriterSchema } from '../registry/writer-schema.js';
import type { Deserializer } from '../serializer.interface.js';
import { forValidation, parseExactJson } from '../registry/exact-json.js';
import type { JsonSchemaDeserializerConfig, JsonSchemaInput } from './json-schema-serde.config.js';
import { compileJsonSchema, explainErrors, type JsonSchemaSource, jsonSchemaSource } from './json-schema-validator.js';

/**
 * Decodes Confluent-framed JSON (magic byte 0, 4-byte big-endian schema id, UTF-8 JSON), as
 * confluent_kafka's `JSONDeserializer`. Integer literals beyond ±(2^53-1) decode to exact BigInts (or are
 * refused, see `unsafeIntegers`), never to rounded numbers. With `validate` (the default) each value is
 * checked against the reader schema, or the writer's schema fetched by id (once per id). Null decodes to
 * null. Every failure rejects with a `KeyDeserializationError` or `ValueDeserializationError` naming the
 * schema id. Needs the optional packages `ajv` and `ajv-formats`.
 * @publicApi
 */
export class JsonSchemaDeserializer<T = unknown> implements Deserializer<T | null> {
  private readonly reader?: JsonSchemaSource;
  private readonly peers: JsonSchemaPeers;
  private readonly validate: boolean;
  private readonly unsafeIntegers: 'bigint' | 'error';
  private readonly fromDict?: JsonSchemaDeserializerConfig<T>['fromDict'];
  /** Validators by writer schema id (all the reader's one when a reader schema is given). */
  private readonly validators = new LruCache<number, Promise<ValidateFunction>>();

  /**
   * @param client the Schema Registry client (or a `MockSchemaRegistryClient`)
   * @param readerSchema the schema values are validated against; the writer's when omitted
   * @param conf deserializer options
   * @param req how optional packages are loaded (a seam for tests)
   * @throws MissingDependencyError when ajv or ajv-formats is not installed
   * @throws ConfigException on an invalid reader schema
   */
  constructor(
    private readonly client: SchemaRegistryClientInterface,
    readerSchema?: JsonSchemaInput,
    conf: JsonSchemaDeserializerConfig<T> = {},
    req?: PeerRequire,
  ) {
    this.peers = loadJsonSchemaPeers('JsonSchemaDeserializer', req);
    try {
      if (readerSchema !== undefined) this.reader = jsonSchemaSource(readerSchema);
    } catch (e) {
      throw new ConfigException('readerSchema', `invalid JSON Schema: ${messageOf(e)}`);
    }
    this.validate = conf.validate ?? true;
    this.unsafeIntegers = conf.unsafeIntegers ?? 'bigint';
    this.fromDict = conf.fromDict;
  }

  /**
   * @param data the framed key or value; null gives null
   * @param ctx the topic and field; when it also carries `partition` and `offset`, errors name them
   * @throws KeyDeserializationError | ValueDeserializationError on a bad frame, invalid UTF-8 or JSON, an
   *   unsafe integer with `unsafeIntegers: 'error'`, an unknown schema id or unreachable registry (when
   *   validating), or a value the schema rejects
   */
  async deserialize(data: Buffer | null, ctx: LocatedSerializationContext): Promise<T | null> {
    if (data === null || data === undefined) return null;
    let schemaId: number;
    let body: Buffer;
    try {
      ({ schemaId, body } = unframe(data));
    } catch (e) {
      throw deserializationError(ctx, messageOf(e), e);
    }
    const decoded = this.parse(body, schemaId, ctx);
    if (this.validate) await this.check(decoded, schemaId, ctx);
    if (!this.fromDict) return decoded as T;
    try {
      return this.fromDict(decoded, ctx);
    } catch (e) {
      throw deserializationError(ctx, `fromDict failed: ${messageOf(e)}`, e);
    }
  }

  private parse(body: Buffer, schemaId: number, ctx: LocatedSerializationContext): unknown {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      return parseExactJson(text, this.unsafeIntegers === 'error' ? refuseUnsafe : undefined);
    } catch (e) {
      throw deserializationError(
        ctx,
        `JSON body of ${body.length} byte(s) written with schema id ${schemaId} does not decode: ${messageOf(e)}`,
        e,
      );
    }
  }

  private async check(decoded: unknown, schemaId: number, ctx: LocatedSerializationContext): Promise<void> {
    let validate: ValidateFunction;
    try {
      validate = await cachedPromise(this.validators, this.reader ? -1 : schemaId, () => this.load(schemaId));
    } catch (e) {
      // The cached failure is shared by concurrent calls: each names its own message.
      throw deserializationError(ctx, messageOf(e), (e as Error).cause ?? e);
    }
    if (!validate(forValidation(decoded))) {
      const against = this.reader ? 'the reader schema' : `its writer schema id ${schemaId}`;
      throw deserializationError(ctx, `value written with schema id ${schemaId} does not match ${against}: ${explainErrors(validate)}`);
    }
  }

  private async load(schemaId: number): Promise<ValidateFunction> {
    const source = this.reader ?? jsonSchemaSource(await fetchWriterSchema(this.client, schemaId, 'JSON'));
    try {
      return await compileJsonSchema(this.client, source, this.peers);
    } catch (e) {
      throw new Error(`${this.reader ? 'the reader schema' : `writer schema id ${schemaId}`} is not usable: ${messageOf(e)}`, { cause: e });
    }
  }
}

function refuseUnsafe(literal: string): void {
  throw new RangeError(`integer ${literal} is beyond ±(2^53-1) and unsafeIntegers is 'error'`);
}
