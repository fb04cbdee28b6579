import type * as Protobuf from 'protobufjs';

/**
 * Confluent's message indexes, written between the schema id and the Protobuf body: which message of the
 * schema's file the body is, as the path of indexes (top-level message, then nested ones), as zig-zag varints
 * prefixed by their count; the path `[0]` (the file's first message) is the single byte 0. Varints are
 * protobufjs's own Reader/Writer. `deprecatedFormat`: plain (unsigned) varints, as confluent_kafka (Python) before
 * 1.8 wrote and read them (its `use.deprecated.format`); the `[0]` shortcut is the same byte in both formats.
 * @internal
 */
export function encodeMessageIndexes(protobuf: typeof Protobuf, path: readonly number[], deprecatedFormat = false): Buffer {
  const writer = protobuf.Writer.create();
  const put = (n: number) => (deprecatedFormat ? writer.uint32(n) : writer.sint32(n));
  if (path.length === 1 && path[0] === 0) put(0);
  else {
    put(path.length);
    for (const i of path) put(i);
  }
  return Buffer.from(writer.finish());
}

/**
 * Reads the message indexes at the start of a body.
 * @returns the path and the Protobuf body after it
 * @throws Error on a truncated or negative index list
 * @internal
 */
export function decodeMessageIndexes(protobuf: typeof Protobuf, data: Buffer, deprecatedFormat = false): { path: number[]; body: Buffer } {
  const reader = protobuf.Reader.create(data);
  const next = () => (deprecatedFormat ? reader.uint32() : reader.sint32());
  const count = next();
  if (count < 0 || count > data.length) throw new Error(`message index count ${count} is not valid for a body of ${data.length} byte(s)`);
  const path = count === 0 ? [0] : Array.from({ length: count }, next);
  if (path.some((i) => i < 0)) throw new Error(`negative message index in [${path.join(', ')}]`);
  return { path, body: data.subarray(reader.pos) };
}
