import zlib from 'node:zlib';

/**
 * librdkafka's key hashes, so an application can tell which partition a key goes to (confluent_kafka's
 * partitioner helpers). Each gives the same partition librdkafka's `partitioner` setting of that name picks.
 * @publicApi
 */

function bytes(key: Buffer | string): Buffer {
  return typeof key === 'string' ? Buffer.from(key) : key;
}

/** Java-compatible murmur2 (seed 0x9747b28c), as Kafka's Java client and librdkafka hash keys. */
function murmur2Hash(data: Buffer): number {
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ data.length) >>> 0;
  let i = 0;
  for (; i + 4 <= data.length; i += 4) {
    let k = data.readUInt32LE(i);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = data.length - i;
  if (rest === 3) h ^= data[i + 2]! << 16;
  if (rest >= 2) h ^= data[i + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[i]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h >>> 0;
}

/** The partition librdkafka's `murmur2` partitioner (the Java client's default) gives `key`. */
export function murmur2(key: Buffer | string, partitionCount: number): number {
  return (murmur2Hash(bytes(key)) & 0x7fffffff) % partitionCount;
}

/** The partition librdkafka's `consistent` partitioner (CRC32) gives `key`. */
export function consistent(key: Buffer | string, partitionCount: number): number {
  return zlib.crc32(bytes(key)) % partitionCount;
}

/** The partition librdkafka's `fnv1a` partitioner (Sarama's default) gives `key`. */
export function fnv1a(key: Buffer | string, partitionCount: number): number {
  let h = 0x811c9dc5 | 0;
  for (const b of bytes(key)) h = Math.imul(h ^ b, 0x01000193);
  // librdkafka takes the absolute value of the signed hash, as Sarama does.
  return (h < 0 ? -h >>> 0 : h) % partitionCount;
}
