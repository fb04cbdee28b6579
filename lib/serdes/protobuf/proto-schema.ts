import type * as Protobuf from 'protobufjs';
import type { Schema, SchemaReference, SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { messageOf } from '../avro/serde-error.util.js';
import type { ProtobufPeers } from '../registry/load-optional-peer.js';

/** A schema's file parsed with everything it imports: the types by full name, and its top-level messages. @internal */
export interface ProtoFile {
  readonly root: Protobuf.Root;
  /** The full names (no leading dot) of the file's top-level messages, in declaration order. */
  readonly messages: readonly string[];
}

const WELL_KNOWN = 'google/protobuf/';
/** Field names as written in the .proto (snake_case stays), as every other Confluent client shows them. */
const PARSE_OPTIONS = { keepCase: true };

/**
 * Parses a registered schema (`.proto` text, or the base64 FileDescriptorProto confluent_kafka 1.x
 * registers) with its references: each referenced subject version is fetched depth first and added to one
 * root; `google/protobuf/*.proto` imports come from protobufjs's bundled well-known types.
 * @throws Error naming the reference or the syntax error
 * @internal
 */
export async function loadProtoFile(client: SchemaRegistryClientInterface, peers: ProtobufPeers, schema: Schema): Promise<ProtoFile> {
  const root = new peers.protobuf.Root();
  const added = new Set<string>();
  await addReferences(client, peers, root, schema.references ?? [], added);
  const own = parseProto(peers, schema.schema);
  for (const imported of own.imports) addWellKnown(peers, root, imported, added);
  mergeInto(root, own.root);
  try {
    root.resolveAll();
  } catch (e) {
    throw new Error(`the Protobuf schema does not resolve: ${messageOf(e)}`, { cause: e });
  }
  return { root, messages: own.messages };
}

async function addReferences(
  client: SchemaRegistryClientInterface,
  peers: ProtobufPeers,
  root: Protobuf.Root,
  refs: readonly SchemaReference[],
  added: Set<string>,
): Promise<void> {
  for (const ref of refs) {
    if (added.has(ref.name)) continue;
    added.add(ref.name); // before recursing: a cycle (or a diamond) ends here
    if (addWellKnown(peers, root, ref.name, added, true)) continue;
    const what = `schema reference "${ref.name}" (subject "${ref.subject}" version ${ref.version})`;
    let registered: Schema;
    try {
      registered = await client.getVersion(ref.subject, ref.version);
    } catch (e) {
      throw new Error(`could not fetch ${what}: ${messageOf(e)}`, { cause: e });
    }
    if (registered.schemaType !== 'PROTOBUF') throw new Error(`${what} is a ${registered.schemaType ?? 'AVRO'} schema, not Protobuf`);
    await addReferences(client, peers, root, registered.references ?? [], added);
    try {
      const parsed = parseProto(peers, registered.schema);
      for (const imported of parsed.imports) addWellKnown(peers, root, imported, added);
      mergeInto(root, parsed.root);
    } catch (e) {
      throw new Error(`${what} is not a usable Protobuf schema: ${messageOf(e)}`, { cause: e });
    }
  }
}

/**
 * Adds a bundled well-known file (`google/protobuf/timestamp.proto`, …) once.
 * @param claimed the caller has already put the name in `added`
 * @returns whether protobufjs bundles the name
 */
function addWellKnown(peers: ProtobufPeers, root: Protobuf.Root, name: string, added: Set<string>, claimed = false): boolean {
  if (!name.startsWith(WELL_KNOWN)) return false;
  const json = peers.protobuf.common.get(name);
  if (!json) return false;
  if (!claimed && added.has(name)) return true;
  added.add(name);
  root.addJSON(json.nested ?? {});
  return true;
}

/** Copies a parsed file's definitions into the shared root (namespaces merge, types move). */
function mergeInto(root: Protobuf.Root, from: Protobuf.Root): void {
  root.addJSON(from.toJSON().nested ?? {});
}

interface ParsedProto {
  readonly root: Protobuf.Root;
  readonly imports: readonly string[];
  readonly messages: string[];
}

/** Parses one file alone (its imported types unresolved). @throws Error on a syntax error */
function parseProto(peers: ProtobufPeers, text: string): ParsedProto {
  if (isBase64Descriptor(text)) return parseDescriptor(peers, text);
  const root = new peers.protobuf.Root();
  const parsed = peers.protobuf.parse(text, root, PARSE_OPTIONS);
  const pkg = parsed.package ? (root.lookup(parsed.package) as Protobuf.Namespace) : root;
  const messages = pkg.nestedArray.filter((n) => n instanceof peers.protobuf.Type).map((t) => t.fullName.slice(1));
  return { root, imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])], messages };
}

/** A .proto text always has a letter-only keyword followed by a space or brace; base64 has neither. */
function isBase64Descriptor(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(t);
}

function parseDescriptor(peers: ProtobufPeers, text: string): ParsedProto {
  const bytes = Buffer.from(text.trim(), 'base64');
  const set = peers.descriptor.FileDescriptorSet.decode(Buffer.concat([fileField(bytes.length), bytes]));
  const described = fromDescriptorUnresolved(peers, set);
  // addJSON, not Root.fromJSON: that one resolves too.
  const root = new peers.protobuf.Root().addJSON(restoreMaps(described.toJSON().nested ?? {})) as Protobuf.Root;
  const file = (set as unknown as { file: Array<{ package?: string; dependency?: string[]; messageType?: Array<{ name: string }> }> })
    .file[0];
  const prefix = file.package ? `${file.package}.` : '';
  return { root, imports: file.dependency ?? [], messages: (file.messageType ?? []).map((m) => prefix + m.name) };
}

/**
 * protobufjs's Root.fromDescriptor ends with resolveAll(), which fails for a file that imports another (the
 * other file is not in this set: it comes from a schema reference, merged later). Resolution is skipped for
 * this one synchronous call; the shared root is resolved once every file is in.
 */
function fromDescriptorUnresolved(peers: ProtobufPeers, set: Protobuf.Message): Protobuf.Root {
  const proto = peers.protobuf.Root.prototype;
  const resolveAll = proto.resolveAll;
  proto.resolveAll = function unresolved(this: Protobuf.Root) {
    return this;
  };
  try {
    return (peers.protobuf.Root as unknown as { fromDescriptor(d: unknown): Protobuf.Root }).fromDescriptor(set);
  } finally {
    proto.resolveAll = resolveAll;
  }
}

type JsonNode = {
  fields?: Record<string, { rule?: string; type: string; id: number; keyType?: string }>;
  nested?: Record<string, JsonNode>;
  options?: Record<string, unknown>;
};

/**
 * protobufjs's fromDescriptor leaves a map as a repeated `XEntry` message (`map_entry`), which decodes to an
 * array of {key, value}: turned back into map fields, as the .proto declares them.
 */
function restoreMaps(nested: Record<string, unknown>): Record<string, Protobuf.AnyNestedObject> {
  for (const node of Object.values(nested) as JsonNode[]) {
    for (const [name, f] of Object.entries(node.fields ?? {})) {
      const entryName = f.type.split('.').pop()!;
      const entry = node.nested?.[entryName];
      if (f.rule !== 'repeated' || !entry?.options?.map_entry || !entry.fields) continue;
      const { key, value } = entry.fields;
      node.fields![name] = { keyType: key.type, type: value.type, id: f.id };
      delete node.nested![entryName];
    }
    if (node.fields && node.options) delete node.options.map_entry;
    if (node.nested) restoreMaps(node.nested);
  }
  return nested as Record<string, Protobuf.AnyNestedObject>;
}

/** The tag and length of FileDescriptorSet.file (field 1, length-delimited) for one file of `n` bytes. */
function fileField(n: number): Buffer {
  const out = [0x0a];
  for (let v = n; ; v >>>= 7) {
    if (v < 0x80) {
      out.push(v);
      break;
    }
    out.push((v & 0x7f) | 0x80);
  }
  return Buffer.from(out);
}

/**
 * The message at a message-index path: the path's first index picks a top-level message of the file, the
 * others nested messages (declaration order).
 * @throws Error when the path leads nowhere
 * @internal
 */
export function messageAt(peers: ProtobufPeers, file: ProtoFile, path: readonly number[]): Protobuf.Type {
  const top = file.messages[path[0]];
  if (top === undefined)
    throw new Error(`message index ${path[0]} is beyond the ${file.messages.length} top-level message(s) of the schema`);
  let type = file.root.lookupType(top);
  for (const i of path.slice(1)) {
    const nested = nestedMessages(peers, type)[i];
    if (!nested) throw new Error(`message index path [${path.join(', ')}] leads nowhere in ${type.fullName.slice(1)}`);
    type = nested;
  }
  return type;
}

/**
 * The message-index path of a message by full name.
 * @throws Error when the file has no such message
 * @internal
 */
export function pathOf(peers: ProtobufPeers, file: ProtoFile, fullName: string): number[] {
  const name = fullName.replace(/^\./, '');
  const top = file.messages.findIndex((m) => name === m || name.startsWith(`${m}.`));
  if (top < 0) throw new Error(`the schema defines no message ${name} (its messages: ${file.messages.join(', ') || 'none'})`);
  const path = [top];
  let type = file.root.lookupType(file.messages[top]);
  while (type.fullName.slice(1) !== name) {
    const nested = nestedMessages(peers, type);
    const i = nested.findIndex((t) => name === t.fullName.slice(1) || name.startsWith(`${t.fullName.slice(1)}.`));
    if (i < 0) throw new Error(`the schema defines no message ${name}`);
    path.push(i);
    type = nested[i];
  }
  return path;
}

function nestedMessages(peers: ProtobufPeers, type: Protobuf.Type): Protobuf.Type[] {
  return type.nestedArray.filter((n): n is Protobuf.Type => n instanceof peers.protobuf.Type);
}
