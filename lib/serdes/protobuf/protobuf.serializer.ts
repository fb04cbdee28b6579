import type * as Protobuf from 'protobufjs';
import { ConfigException } from '../../errors/index.js';
import type { Schema, SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { cachedPromise, LruCache } from '../../schema-registry/lru-cache.js';
import { frame } from '../avro/confluent-wire-format.js';
import { messageOf, serializationError } from '../avro/serde-error.util.js';
import { loadProtobufPeers, type ProtobufPeers } from '../registry/load-optional-peer.js';
import type { PeerRequire } from '../registry/peer-require.js';
import { type WriterSchema, WriterSchemaResolver } from '../registry/writer-schema.js';
import type { SerializationContext } from '../serialization-context.js';
import type { Serializer } from '../serializer.interface.js';
import { encodeMessageIndexes } from './message-indexes.js';
import { loadProtoFile, pathOf, type ProtoFile } from './proto-schema.js';
import { toWireObject } from './proto-values.js';
import type { ProtobufSchemaInput, ProtobufSerializerConfig } from './protobuf-serde.config.js';

/** How one writer schema encodes: the message type and its framed prefix (schema id + message indexes). */
interface Encoder {
  readonly type: Protobuf.Type;
  readonly prefix: Buffer;
}

/**
 * Encodes message objects as Protobuf in Confluent's wire format (magic byte 0, 4-byte big-endian schema id,
 * the message indexes, the Protobuf body), registering or looking up the schema in a Schema Registry, as
 * confluent_kafka's `ProtobufSerializer`. Values are plain objects keyed by the `.proto` field names; they
 * are checked before encoding so nothing is changed on the way (see `toWireObject`: exact 64-bit integers
 * from BigInts, numbers or strings, exact floats, no unknown fields). Null and undefined serialize to null.
 * Every failure rejects with a `KeySerializationError` or `ValueSerializationError`. Needs the optional
 * package `protobufjs`.
 * @publicApi
 */
export class ProtobufSerializer<T = unknown> implements Serializer<T> {
  private readonly peers: ProtobufPeers;
  private readonly own?: Schema;
  private readonly writers: WriterSchemaResolver;
  private readonly messageType?: string;
  private readonly deprecatedFormat: boolean;
  private readonly toDict?: ProtobufSerializerConfig<T>['toDict'];
  private readonly encoders = new LruCache<number, Promise<Encoder>>();
  /** The record name for the subject strategies, known once the own schema is parsed. */
  private recordName?: Promise<string>;

  /**
   * @param client the Schema Registry client (or a `MockSchemaRegistryClient`)
   * @param schema the writer schema; may be omitted only with `use.latest.version`
   * @param conf serializer options
   * @param req how optional packages are loaded (a seam for tests)
   * @throws MissingDependencyError when protobufjs is not installed
   * @throws ConfigException on a schema that does not parse, or conflicting options
   */
  constructor(
    private readonly client: SchemaRegistryClientInterface,
    schema?: ProtobufSchemaInput,
    conf: ProtobufSerializerConfig<T> = {},
    req?: PeerRequire,
  ) {
    this.peers = loadProtobufPeers('ProtobufSerializer', req);
    if (schema !== undefined) {
      this.own =
        typeof schema === 'string'
          ? { schema, schemaType: 'PROTOBUF', references: [] }
          : { ...schema, schemaType: 'PROTOBUF', references: schema.references ?? [] };
      try {
        this.peers.protobuf.parse(this.own.schema, { keepCase: true }); // syntax errors now, not at the first message
      } catch (e) {
        throw new ConfigException('schema', `invalid Protobuf schema: ${messageOf(e)}`);
      }
    }
    this.writers = new WriterSchemaResolver(client, 'PROTOBUF', this.own, conf);
    this.messageType = conf.messageType;
    this.deprecatedFormat = conf['use.deprecated.format'] ?? false;
    this.toDict = conf.toDict;
  }

  /**
   * @param value the message object (or key) to encode; null/undefined give null
   * @throws KeySerializationError | ValueSerializationError when the schema does not resolve, the registry
   *   refuses it or cannot be reached, or the value does not fit the message
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
    const writer = await this.writers.writerFor(ctx, this.own ? await this.ownRecordName(ctx) : undefined);
    const encoder = await cachedPromise(this.encoders, writer.id, () => this.encoderFor(writer, ctx));
    let body: Uint8Array;
    try {
      const message = encoder.type.fromObject(toWireObject(this.peers.protobuf, encoder.type, record, ''));
      body = encoder.type.encode(message).finish();
    } catch (e) {
      throw serializationError(
        ctx,
        `${ctx.field} does not fit Protobuf message ${encoder.type.fullName.slice(1)} (schema id ${writer.id}): ${messageOf(e)}`,
        e,
      );
    }
    return Buffer.concat([encoder.prefix, body]);
  }

  private ownRecordName(ctx: SerializationContext): Promise<string> {
    const pending = (this.recordName ??= this.load(this.own!).then((file) => this.chosen(file).fullName.slice(1)));
    return pending.catch((e: unknown) => {
      this.recordName = undefined; // a reference may be registered, or the registry back, next time
      throw serializationError(ctx, `the Protobuf schema is not usable: ${messageOf(e)}`, e);
    });
  }

  private async encoderFor(writer: WriterSchema, ctx: SerializationContext): Promise<Encoder> {
    try {
      const file = await this.load(writer.schema);
      const type = this.chosen(file);
      return {
        type,
        prefix: frame(writer.id, encodeMessageIndexes(this.peers.protobuf, pathOf(this.peers, file, type.fullName), this.deprecatedFormat)),
      };
    } catch (e) {
      throw serializationError(ctx, `Protobuf schema id ${writer.id} is not usable: ${messageOf(e)}`, e);
    }
  }

  private load(schema: Schema): Promise<ProtoFile> {
    return loadProtoFile(this.client, this.peers, schema);
  }

  private chosen(file: ProtoFile): Protobuf.Type {
    const name = this.messageType ?? file.messages[0];
    if (!name) throw new Error('the schema defines no message');
    return file.root.lookupType(name);
  }
}
