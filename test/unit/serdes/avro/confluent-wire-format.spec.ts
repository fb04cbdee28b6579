import { frame, MAGIC_BYTE, unframe, WIRE_HEADER_SIZE } from '../../../../lib/serdes/avro/index.js';

describe('Confluent wire format', () => {
  it('frames a body as magic byte 0, the schema id as big-endian uint32, then the body', () => {
    const out = frame(0x01020304, Buffer.from([0xaa, 0xbb]));
    expect([...out]).toEqual([0x00, 0x01, 0x02, 0x03, 0x04, 0xaa, 0xbb]);
    expect(MAGIC_BYTE).toBe(0);
    expect(WIRE_HEADER_SIZE).toBe(5);
  });

  it('reads back the id and body it framed, including the largest uint32 id', () => {
    for (const id of [0, 1, 256, 0x7fffffff, 0xffffffff]) {
      const { schemaId, body } = unframe(frame(id, Buffer.from('hello')));
      expect(schemaId).toBe(id);
      expect(body.toString()).toBe('hello');
    }
  });

  it('rejects ids that are not a uint32', () => {
    expect(() => frame(-1, Buffer.alloc(1))).toThrow(RangeError);
    expect(() => frame(2 ** 32, Buffer.alloc(1))).toThrow(RangeError);
  });

  it.each([0, 1, 4, 5])('rejects a payload of %i bytes as too short', (n) => {
    expect(() => unframe(Buffer.alloc(n))).toThrow(`payload of ${n} byte(s) is too short for the Confluent wire format`);
  });

  it('rejects a payload whose first byte is not the magic byte, naming the byte', () => {
    expect(() => unframe(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d]))).toThrow('unknown magic byte 0x7b');
  });
});
