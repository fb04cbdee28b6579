/**
 * Decodes a classic group member's assignment (Kafka's ConsumerProtocolAssignment, versions 0-3: int16 version,
 * then an array of topic name + partition ids; user data after it is not read). Read here rather than through
 * kafkajs's decoder so a group description served by kafka-ts does not depend on kafkajs being loaded.
 * @returns partition ids by topic, or null when the bytes are not a consumer-protocol assignment
 * @internal
 */
export function decodeConsumerAssignment(buffer: Buffer): Record<string, number[]> | null {
  try {
    let at = 2; // the version: every version starts with the same partition list
    const int32 = (): number => {
      const v = buffer.readInt32BE(at);
      at += 4;
      return v;
    };
    const out: Record<string, number[]> = {};
    const topics = int32();
    if (topics < 0) return {};
    for (let t = 0; t < topics; t++) {
      const length = buffer.readInt16BE(at);
      if (length < 0 || at + 2 + length > buffer.length) return null;
      const topic = buffer.toString('utf8', at + 2, at + 2 + length);
      at += 2 + length;
      const count = int32();
      if (count < 0 || at + 4 * count > buffer.length) return null;
      out[topic] = Array.from({ length: count }, int32);
    }
    return out;
  } catch {
    // RangeError: shorter than its own counts say, so not this protocol.
    return null;
  }
}
