/** The first byte of every Confluent-framed message. @publicApi */
export const MAGIC_BYTE = 0;
/** Magic byte plus the 4-byte big-endian schema id. @publicApi */
export const WIRE_HEADER_SIZE = 5;

/** A framed payload taken apart. */
export interface WireFrame {
  readonly schemaId: number;
  /** The encoded body (a view into the input, not a copy). */
  readonly body: Buffer;
}

/**
 * Frames an encoded body in the Confluent wire format: magic byte 0, the schema id as a big-endian uint32,
 * the body.
 * @param schemaId the registry id of the writer schema
 * @param body the encoded value
 * @throws RangeError when the id is not a uint32
 */
export function frame(schemaId: number, body: Buffer): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new RangeError(`schema id ${schemaId} is not a uint32`);
  }
  const out = Buffer.allocUnsafe(WIRE_HEADER_SIZE + body.length);
  out.writeUInt8(MAGIC_BYTE, 0);
  out.writeUInt32BE(schemaId, 1);
  body.copy(out, WIRE_HEADER_SIZE);
  return out;
}

/**
 * Reads the header of a Confluent-framed payload. Like confluent_kafka, input of 5 bytes or less is rejected:
 * it cannot hold a header and a body.
 * @param data the message key or value
 * @returns the schema id and the body
 * @throws Error whose message says what is wrong (too short, unknown magic byte)
 */
export function unframe(data: Buffer): WireFrame {
  if (data.length <= WIRE_HEADER_SIZE) {
    throw new Error(
      `payload of ${data.length} byte(s) is too short for the Confluent wire format (1 magic byte, 4-byte schema id, then the body: at least ${WIRE_HEADER_SIZE + 1} bytes)`,
    );
  }
  const magic = data.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new Error(
      `unknown magic byte 0x${magic.toString(16).padStart(2, '0')}: not a Confluent Schema Registry framed payload (expected 0x00)`,
    );
  }
  return { schemaId: data.readUInt32BE(1), body: data.subarray(WIRE_HEADER_SIZE) };
}
