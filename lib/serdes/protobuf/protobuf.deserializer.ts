import type * as Protobuf from 'protobufjs';
import type { Schema, SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { cachedPromise, LruCache } from '../../schema-registry/lru-cache.js';
import { unframe } from '../avro/confluent-wire-format.js';
import { deserializationError, type LocatedSerializationContext, messageOf } from '../avro/serde-error.util.js';
import { loadProtobufPeers, type ProtobufPeers } from '../registry/load-optional-peer.js';
import type { PeerRequire } from '../registry/peer-require.js';
import { fetchWriterSchema } from '../registry/writer-schema.js';
import type { Deserializer } from '../serializer.interface.js';
import { decodeMessageIndexes } from './message-indexes.js';
import { loadProtoFile, messageAt, type ProtoFile } from './proto-schema.js';
import { strictReader } from './strict-reader.js';
import { longsToBigInt, TO_OBJECT_OPTIONS } from './proto-values.js';
import type { ProtobufDeserializerConfig, ProtobufLongs, ProtobufSchemaInput } from './protobuf-serde.config.js';

/**
 * Decodes Confluent-framed Protobuf (magic byte 0, schema id, message indexes, body), as confluent_kafka's
 * `ProtobufDeserializer`, into plain objects keyed by the `.proto` field names, every field present
 * (proto3 defaults included), enums by name (unknown numbers stay numbers), bytes as Buffers, 64-bit integers
 * exact (BigInt or string, see `longs`). Without a reader schema the writer's schema is fetched by id (once)
 * and the message chosen by the message indexes; with one, bodies decode as its message (fields match by
 * number, so the reader may be newer or older than the writer). Every failure rejects with a
 * `KeyDeserializationError` or `ValueDeserializationError` naming the schema id. Needs `protobufjs`.
 * @publicApi
 */
export class ProtobufDeserializer<T = unknown> implements Deserializer<T | null> {
  private readonly peers: ProtobufPeers;
  private readonly reader?: Schema;
  private readerFile?: Promise<ProtoFile>;
  private readonly messageType?: string;
  private readonly longs: ProtobufLongs;
  private readonly deprecatedFormat: boolean;
  private readonly fromDict?: ProtobufDeserializerConfig<T>['fromDict'];
  private readonly writerFiles = new LruCache<number, Promise<ProtoFile>>();

  /**
   * @param client the Schema Registry client (or a `MockSchemaRegistryClient`)
   * @param readerSchema the schema to decode with; the writer's when omitted
   * @param conf deserializer options
   * @param req how optional packages are loaded (a seam for tests)
   * @throws MissingDependencyError when protobufjs is not installed
   */
  constructor(
    private readonly client: SchemaRegistryClientInterface,
    readerSchema?: ProtobufSchemaInput,
    conf: ProtobufDeserializerConfig<T> = {},
    req?: PeerRequire,
  ) {
    this.peers = loadProtobufPeers('ProtobufDeserializer', req);
    if (readerSchema !== undefined) {
      this.reader = typeof readerSchema === 'string' ? { schema: readerSchema, schemaType: 'PROTOBUF' } : readerSchema;
    }
    this.messageType = conf.messageType;
    this.longs = conf.longs ?? 'bigint';
    this.deprecatedFormat = conf['use.deprecated.format'] ?? false;
    this.fromDict = conf.fromDict;
  }

  /**
   * @throws KeyDeserializationError | ValueDeserializationError on a bad frame or message indexes, an unknown
   *   schema id, an unreachable registry, a schema that does not resolve, or a body that does not decode
   */
  async deserialize(data: Buffer | null, ctx: LocatedSerializationContext): Promise<T | null> {
    if (data === null || data === undefined) return null;
    let schemaId: number;
    let path: number[];
    let body: Buffer;
    let framed: Buffer;
    try {
      ({ schemaId, body: framed } = unframe(data));
    } catch (e) {
      throw deserializationError(ctx, messageOf(e), e);
    }
    try {
      ({ path, body } = decodeMessageIndexes(this.peers.protobuf, framed, this.deprecatedFormat));
    } catch (e) {
      throw deserializationError(ctx, `schema id ${schemaId}: ${messageOf(e)}`, e);
    }
    let type: Protobuf.Type;
    try {
      type = await this.typeFor(schemaId, path);
    } catch (e) {
      throw deserializationError(ctx, `schema id ${schemaId}: ${messageOf(e)}`, (e as Error).cause ?? e);
    }
    let decoded: Record<string, unknown>;
    try {
      decoded = type.toObject(type.decode(strictReader(this.peers.protobuf, body)), TO_OBJECT_OPTIONS);
      if (this.longs === 'bigint') longsToBigInt(this.peers.protobuf, type, decoded);
    } catch (e) {
      throw deserializationError(
        ctx,
        `Protobuf body of ${body.length} byte(s) does not decode as ${type.fullName.slice(1)} (schema id ${schemaId}): ${messageOf(e)}`,
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

  private async typeFor(schemaId: number, path: number[]): Promise<Protobuf.Type> {
    if (this.reader) {
      const file = await (this.readerFile ??= loadProtoFile(this.client, this.peers, this.reader).catch((e: unknown) => {
        this.readerFile = undefined;
        throw new Error(`the reader schema is not usable: ${messageOf(e)}`, { cause: e });
      }));
      return this.messageType ? file.root.lookupType(this.messageType) : messageAt(this.peers, file, path);
    }
    const file = await cachedPromise(this.writerFiles, schemaId, async () => {
      const schema = await fetchWriterSchema(this.client, schemaId, 'PROTOBUF');
      try {
        return await loadProtoFile(this.client, this.peers, schema);
      } catch (e) {
        throw new Error(`the writer schema is not usable: ${messageOf(e)}`, { cause: e });
      }
    });
    return messageAt(this.peers, file, path);
  }
}
