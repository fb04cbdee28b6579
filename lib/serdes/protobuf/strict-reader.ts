import type * as Protobuf from 'protobufjs';

const readers = new WeakMap<typeof Protobuf, (body: Uint8Array) => Protobuf.Reader>();

/**
 * A protobufjs Reader that never changes a value: protobufjs's Node Buffer reader clamps a string whose length
 * runs past the end of the body (a truncated record decodes to a shorter string, silently), and its UTF-8
 * decoder turns invalid bytes into arbitrary characters. This one reads strings through the bounds-checked
 * `bytes()` and a fatal TextDecoder, so both are decode errors.
 * @internal
 */
export function strictReader(protobuf: typeof Protobuf, body: Uint8Array): Protobuf.Reader {
  let create = readers.get(protobuf);
  if (!create) {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    class StrictReader extends protobuf.Reader {
      override string(): string {
        return utf8.decode(this.bytes());
      }
    }
    create = (b) => new StrictReader(b);
    readers.set(protobuf, create);
  }
  return create(body);
}
