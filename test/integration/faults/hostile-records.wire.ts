import { connect, type Socket } from 'node:net';

/**
 * A producer that writes Kafka's wire protocol itself (Produce v3, one record batch of magic 2 per request).
 * Why: node-rdkafka 3.6's producer passes header names and values through C strings (a NUL ends them,
 * non-UTF-8 bytes are replaced, a null header value is refused), and kafkajs/kafka-ts take header names as
 * JS strings; only raw bytes on the wire reach the broker exactly as a hostile peer (any client, any language)
 * can send them. Test code: one broker (the partition leader), no compression, no retries.
 */

/** A header as bytes: any name, a null or any value. */
export interface WireHeader {
  readonly name: Buffer;
  readonly value: Buffer | null;
}

/** A record as bytes. */
export interface WireRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly WireHeader[];
  /** CreateTime in ms; -1 for none. */
  readonly timestamp: number;
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

function crc32c(buf: Buffer): number {
  let crc = 0xffffffff;
  for (let i = 0; i < buf.length; i++) crc = CRC32C_TABLE[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Kafka's signed varint (zigzag); BigInt only beyond 30 bits (timestamps), as it is slow per header. */
function varint(n: number): Buffer {
  if (Math.abs(n) < 2 ** 30) {
    let zz = n < 0 ? -2 * n - 1 : 2 * n;
    const out: number[] = [];
    while (zz >= 0x80) {
      out.push((zz & 0x7f) | 0x80);
      zz >>>= 7;
    }
    out.push(zz);
    return Buffer.from(out);
  }
  const v = BigInt(n);
  let zz = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  const out: number[] = [];
  while (zz >= 0x80n) {
    out.push(Number(zz & 0x7fn) | 0x80);
    zz >>= 7n;
  }
  out.push(Number(zz));
  return Buffer.from(out);
}

function bytesField(b: Buffer | null): Buffer[] {
  return b === null ? [varint(-1)] : [varint(b.length), b];
}

function encodeRecord(r: WireRecord): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), varint(0), varint(0), ...bytesField(r.key), ...bytesField(r.value), varint(r.headers.length)];
  for (const h of r.headers) parts.push(varint(h.name.length), h.name, ...bytesField(h.value));
  const body = Buffer.concat(parts);
  return Buffer.concat([varint(body.length), body]);
}

/** A RecordBatch (magic 2) holding one record. */
function encodeBatch(r: WireRecord): Buffer {
  const head = Buffer.alloc(2 + 4 + 8 + 8 + 8 + 2 + 4 + 4);
  let o = head.writeInt16BE(0, 0); // attributes: no compression, CreateTime
  o = head.writeInt32BE(0, o); // lastOffsetDelta
  o = head.writeBigInt64BE(BigInt(r.timestamp), o);
  o = head.writeBigInt64BE(BigInt(r.timestamp), o);
  o = head.writeBigInt64BE(-1n, o); // producerId
  o = head.writeInt16BE(-1, o); // producerEpoch
  o = head.writeInt32BE(-1, o); // baseSequence
  head.writeInt32BE(1, o); // records
  const crcd = Buffer.concat([head, encodeRecord(r)]);
  const pre = Buffer.alloc(8 + 4 + 4 + 1 + 4);
  pre.writeBigInt64BE(0n, 0); // baseOffset
  pre.writeInt32BE(4 + 1 + 4 + crcd.length, 8); // batchLength: from partitionLeaderEpoch on
  pre.writeInt32BE(-1, 12); // partitionLeaderEpoch
  pre.writeInt8(2, 16); // magic
  pre.writeUInt32BE(crc32c(crcd), 17);
  return Buffer.concat([pre, crcd]);
}

function kafkaString(s: string): Buffer {
  const b = Buffer.from(s);
  const len = Buffer.alloc(2);
  len.writeInt16BE(b.length);
  return Buffer.concat([len, b]);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/**
 * A Produce v3 request (acks=-1) of one record, framed with its size.
 * @param correlationId matched against the response
 */
export function encodeProduce(topic: string, partition: number, record: WireRecord, correlationId: number): Buffer {
  const batch = encodeBatch(record);
  const header = Buffer.concat([Buffer.from([0, 0, 0, 3]), int32(correlationId), kafkaString('hostile-wire')]);
  const acksAndTimeout = Buffer.alloc(6);
  acksAndTimeout.writeInt16BE(-1, 0);
  acksAndTimeout.writeInt32BE(30_000, 2);
  const body = Buffer.concat([
    Buffer.from([0xff, 0xff]),
    acksAndTimeout,
    int32(1),
    kafkaString(topic),
    int32(1),
    int32(partition),
    int32(batch.length),
    batch,
  ]);
  const payload = Buffer.concat([header, body]);
  return Buffer.concat([int32(payload.length), payload]);
}

/** One connection to the partition leader; requests go one at a time. */
export class WireProducer {
  private pending = Buffer.alloc(0);
  private waiter: ((frame: Buffer) => void) | null = null;
  private nextId = 1;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      if (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readInt32BE(0)) {
        const frame = this.pending.subarray(4, 4 + this.pending.readInt32BE(0));
        this.pending = this.pending.subarray(4 + frame.length);
        this.waiter?.(frame);
      }
    });
  }

  /** Connects to the first bootstrap server (the test broker: leader of every partition). */
  static connect(bootstrapServers: string): Promise<WireProducer> {
    const [host, port] = bootstrapServers.split(',')[0]!.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), host!, () => resolve(new WireProducer(socket)));
      socket.once('error', reject);
    });
  }

  /** Builds the request for a record (slow for large ones): `send` it later. */
  encode(topic: string, partition: number, record: WireRecord): { id: number; request: Buffer } {
    const id = this.nextId++;
    return { id, request: encodeProduce(topic, partition, record, id) };
  }

  /**
   * Sends an encoded request and waits for the broker's answer.
   * @returns the record's offset
   * @throws when the broker answered with an error code
   */
  send({ id, request }: { id: number; request: Buffer }): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Produce response for request ${id} within 30 s`)), 30_000);
      this.waiter = (frame) => {
        clearTimeout(timer);
        this.waiter = null;
        if (frame.readInt32BE(0) !== id) return reject(new Error(`Produce response for ${frame.readInt32BE(0)}, expected ${id}`));
        // correlation id, topics[1] { name, partitions[1] { index, error_code, base_offset, ... } }
        let o = 4 + 4;
        o += 2 + frame.readInt16BE(o);
        o += 4 + 4;
        const errorCode = frame.readInt16BE(o);
        const offset = Number(frame.readBigInt64BE(o + 2));
        if (errorCode !== 0) reject(new Error(`broker refused the record: Kafka error code ${errorCode}`));
        else resolve(offset);
      };
      this.socket.write(request);
    });
  }

  /** Encodes and sends one record. @returns its offset */
  produce(topic: string, partition: number, record: WireRecord): Promise<number> {
    return this.send(this.encode(topic, partition, record));
  }

  close(): void {
    this.socket.end();
  }
}
