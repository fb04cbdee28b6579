import type avsc from 'avsc';
import { ConfigException } from '../../errors/index.js';
import { type SchemaRegistryClientInterface, SchemaRegistryError } from '../../schema-registry/index.js';
import { cachedPromise, LruCache } from '../../schema-registry/lru-cache.js';
import type { Deserializer } from '../serializer.interface.js';
import type { AvroDeserializerConfig } from './avro-serde.config.js';
import { loadAvroType } from './avro-references.js';
import { type AvroSchemaInput, type AvroSchemaSource, avroSchemaSource, parseAvroSchema } from './avro-schema.util.js';
import type { AvroValueOptions } from './types/avro-value.options.js';
import { unframe } from './confluent-wire-format.js';
import { deserializationError, type LocatedSerializationContext, messageOf } from './serde-error.util.js';

/** How to decode bodies written with one schema id. */
interface Decoder {
  readonly type: avsc.Type;
  /** The reader schema, when one was given. */
  readonly reader?: avsc.Type;
  /** Set when a reader schema differs from the writer's: maps writer data onto the reader's shape. */
  readonly resolver?: ReturnType<avsc.Type['createResolver']>;
}

/**
 * Decodes Confluent-framed Avro (magic byte 0, 4-byte big-endian schema id, Avro binary), fetching each
 * writer schema from the registry once, as confluent_kafka's `AvroDeserializer`. With a reader schema, data
 * written with older (or newer) compatible schemas is resolved onto it: new fields take their defaults.
 * Null decodes to null. Longs and logical types decode exactly (see `AvroValueOptions`); writer schemas with
 * references get their named types from the referenced subject versions. Every failure rejects with a
 * `KeyDeserializationError` or `ValueDeserializationError` (by the context's field), never an untyped error:
 * the message is a poison message, not a crash.
 * @publicApi
 */
export class AvroDeserializer<T = unknown> implements Deserializer<T | null> {
  /** The reader schema: parsed now, or (when it has references) on first use. */
  private readonly readerSource?: AvroSchemaSource;
  private reader?: avsc.Type;
  private readonly fromDict?: AvroDeserializerConfig<T>['fromDict'];
  private readonly values: AvroValueOptions;
  private readonly decoders = new LruCache<number, Promise<Decoder>>();

  /**
   * @param client the Schema Registry client (or a `MockSchemaRegistryClient`)
   * @param readerSchema the schema to decode into; the writer's schema when omitted
   * @param conf deserializer options
   * @throws ConfigException on an invalid reader schema
   */
  constructor(
    private readonly client: SchemaRegistryClientInterface,
    readerSchema?: AvroSchemaInput,
    conf: AvroDeserializerConfig<T> = {},
  ) {
    this.values = { longs: conf.longs, logicalTypes: conf.logicalTypes };
    if (readerSchema !== undefined) {
      try {
        this.readerSource = avroSchemaSource(readerSchema);
        if (!this.readerSource.references.length) this.reader = parseAvroSchema(this.readerSource, this.values).type;
      } catch (e) {
        throw new ConfigException('readerSchema', `invalid Avro schema: ${messageOf(e)}`);
      }
    }
    this.fromDict = conf.fromDict;
  }

  /**
   * @param data the framed key or value; null gives null
   * @param ctx the topic and field; when it also carries `partition` and `offset`, errors name them
   * @returns the decoded value (passed through `fromDict` when set)
   * @throws KeyDeserializationError | ValueDeserializationError on a payload of 5 bytes or less, an unknown
   *   magic byte, a schema id the registry does not know, an unreachable registry, a writer schema the reader
   *   cannot resolve, or a truncated or malformed body
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
    let decoder: Decoder;
    try {
      decoder = await this.decoderFor(schemaId);
    } catch (e) {
      // The cached failure is shared by concurrent calls: each names its own message.
      throw deserializationError(ctx, messageOf(e), (e as Error).cause ?? e);
    }
    let decoded: unknown;
    try {
      decoded = (decoder.reader ?? decoder.type).fromBuffer(body, decoder.resolver);
    } catch (e) {
      throw deserializationError(
        ctx,
        `Avro body of ${body.length} byte(s) does not decode with writer schema id ${schemaId}: ${messageOf(e)}`,
        e,
      );
    }
    if (!this.fromDict) return decoded as T;
    try {
      return this.fromDict(decoded, ctx);
    } catch (e) {
      throw deserializationError(ctx, `fromDict failed: ${messageOf(e)}`, e);
    }
  }

  private decoderFor(schemaId: number): Promise<Decoder> {
    // Not remembered on failure: an unreachable registry may come back; an unknown id may be registered later.
    return cachedPromise(this.decoders, schemaId, () => this.loadDecoder(schemaId));
  }

  /** @throws Error whose message is the reason and whose cause is the underlying error, if any */
  private async loadDecoder(schemaId: number): Promise<Decoder> {
    let schema;
    try {
      schema = await this.client.getById(schemaId);
    } catch (e) {
      const reason =
        e instanceof SchemaRegistryError && e.isNotFound
          ? `unknown schema id ${schemaId}: the registry has no such schema (error ${e.errorCode})`
          : `could not fetch writer schema id ${schemaId}: ${messageOf(e)}`;
      throw new Error(reason, { cause: e });
    }
    if (schema.schemaType && schema.schemaType !== 'AVRO') {
      throw new Error(`schema id ${schemaId} is a ${schema.schemaType} schema, not Avro`);
    }
    let type: avsc.Type;
    try {
      type = await loadAvroType(this.client, schema.schema, schema.references, this.values);
    } catch (e) {
      throw new Error(`writer schema id ${schemaId} is not a usable Avro schema: ${messageOf(e)}`, { cause: e });
    }
    const reader = await this.readerType();
    if (!reader) return { type };
    // Equal canonical forms share a binary layout, but logical types are not part of the canonical form:
    // decode with the reader so its logical types (or their absence) apply.
    if (reader.equals(type)) return { type, reader };
    try {
      return { type, reader, resolver: reader.createResolver(type) };
    } catch (e) {
      throw new Error(
        `writer schema id ${schemaId} cannot be read with the reader schema ${reader.name ?? reader.typeName}: ${messageOf(e)}`,
        { cause: e },
      );
    }
  }

  /** The reader type, its references fetched on first use (kept once resolved). */
  private async readerType(): Promise<avsc.Type | undefined> {
    if (this.reader || !this.readerSource) return this.reader;
    try {
      this.reader = await loadAvroType(this.client, this.readerSource.text, this.readerSource.references, this.values);
    } catch (e) {
      throw new Error(`the reader schema is not a usable Avro schema: ${messageOf(e)}`, { cause: e });
    }
    return this.reader;
  }
}
