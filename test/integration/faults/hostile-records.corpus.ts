import type { Message } from '../../../lib/index.js';
import type { WireHeader, WireRecord } from './hostile-records.wire.js';

/** One hostile record and what a consumer must make of it. */
export interface HostileRecord {
  readonly name: string;
  readonly record: WireRecord;
  /**
   * `delivered`: a handler gets it, bytes exact (see `mismatch`); `logged`: it is refused with an error that
   * names its topic, partition and offset (error policy, or the server's `maxValueBytes`).
   */
  readonly expect: 'delivered' | 'logged';
}

/** The `maxValueBytes` the corpus is sent against: one value is above it. */
export const MAX_VALUE_BYTES = 2_000_000;
/** Headers of one name in the record that used to freeze the event loop. */
export const SAME_NAME_HEADERS = 100_000;
/** The name of that record in the corpus. */
export const MANY_HEADERS = '100,000 headers of one name';

const NOW = Date.now();
const DEEP = 100_000;
const bytes = (s: string | number[]): Buffer => (typeof s === 'string' ? Buffer.from(s) : Buffer.from(s));
const header = (name: string | Buffer, value: string | Buffer | null = 'v'): WireHeader => ({
  name: typeof name === 'string' ? bytes(name) : name,
  value: typeof value === 'string' ? bytes(value) : value,
});

function rec(name: string, r: Partial<WireRecord>, expect: HostileRecord['expect'] = 'delivered'): HostileRecord {
  return { name, expect, record: { key: null, value: bytes('{"ok":true}'), headers: [], timestamp: NOW, ...r } };
}

/** Header names: prototype members, empty, bytes that are not UTF-8 or hold a NUL; counts. */
function headerRecords(): HostileRecord[] {
  const x = bytes('1');
  return [
    rec('header __proto__', { headers: [header('__proto__', 'p'), header('after', 'a')] }),
    rec('header __proto__ with a JSON object value', { headers: [header('__proto__', '{"polluted":true}')] }),
    rec('header constructor', { headers: [header('constructor', 'c')] }),
    rec('header toString (twice)', { headers: [header('toString', '1'), header('toString', '2')] }),
    rec('header hasOwnProperty', { headers: [header('hasOwnProperty', 'h')] }),
    rec('header valueOf', { headers: [header('valueOf', '[1]')] }),
    rec('header with an empty name', { headers: [header('', 'e')] }),
    rec('header name of non-UTF-8 bytes', { headers: [header(bytes([0xff, 0xfe, 0x80, 0x41]), 'n')] }),
    rec('header name with a NUL byte', { headers: [header(bytes('a\0b'), 'z')] }),
    rec('header with a null value', { headers: [header('nullv', null)] }),
    rec('header value of binary bytes with NULs', { headers: [header('bin', bytes([0, 0xff, 0, 0xc3, 0x28]))] }),
    rec(MANY_HEADERS, { headers: Array.from({ length: SAME_NAME_HEADERS }, () => ({ name: bytes('x'), value: x })) }),
    rec('10,000 distinct header names', { headers: Array.from({ length: 10_000 }, (_, i) => header(`h${i}`, String(i))) }),
  ];
}

/** Values: not JSON, not UTF-8, binary, deep, empty, null, large. */
function valueRecords(): HostileRecord[] {
  return [
    rec('invalid JSON', { value: bytes('{not json') }),
    rec('truncated UTF-8', { value: bytes([0x68, 0xc3]) }),
    rec('binary value', { value: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]) }),
    rec('value with a zero first byte and NULs', { value: bytes([0, 0, 0, 0, 7, 0, 1]) }),
    rec('text with NUL bytes', { value: bytes('a\0b\0') }),
    // JSON.parse copes with the depth; the handler's JSON.stringify of it throws RangeError: a handler failure.
    rec('JSON nested 100,000 deep', { value: bytes('['.repeat(DEEP) + ']'.repeat(DEEP)) }, 'logged'),
    rec('unterminated [ 100,000 deep', { value: bytes('['.repeat(DEEP)) }),
    rec('JSON with a __proto__ key', { value: bytes('{"__proto__":{"polluted":true},"a":1}') }),
    rec('empty value', { value: Buffer.alloc(0) }),
    rec('null value (tombstone)', { value: null }),
    rec('1.5 MB JSON value', { value: bytes(JSON.stringify({ s: 'y'.repeat(1_500_000) })) }),
    rec('2.5 MB value above maxValueBytes', { value: Buffer.alloc(2_500_000, 0x61) }, 'logged'),
  ];
}

/** Keys, timestamps and encodings. */
function otherRecords(): HostileRecord[] {
  return [
    rec('binary key', { key: bytes([0, 0xff, 0xfe, 0, 0x80]) }),
    rec('500 kB key', { key: Buffer.alloc(500_000, 0x6b) }),
    rec('empty key', { key: Buffer.alloc(0) }),
    rec('timestamp 0', { timestamp: 0 }),
    rec('no timestamp (-1)', { timestamp: -1 }),
    rec('negative timestamp (-5)', { timestamp: -5 }),
    rec('UTF-16LE JSON with a BOM', { value: Buffer.from('\uFEFF{"a":1}', 'utf16le') }),
    rec('Latin-1 text', { value: Buffer.from('caf\u00e9', 'latin1') }),
    rec('UTF-8 BOM before JSON', { value: bytes('\uFEFF{"a":1}') }),
  ];
}

/** Every hostile record, in the order they are sent. */
export function hostileCorpus(): HostileRecord[] {
  return [...headerRecords(), ...valueRecords(), ...otherRecords()];
}

/**
 * A header name as node-rdkafka 3.6 can show it: its C++ builds the name from a C string (a NUL ends it) as
 * UTF-8 (bytes that are not UTF-8 become U+FFFD). The bytes themselves cannot be recovered above it.
 */
export function readableName(name: Buffer): string {
  const nul = name.indexOf(0);
  return (nul < 0 ? name : name.subarray(0, nul)).toString('utf8');
}

const same = (a: Buffer | null, b: Buffer | null): boolean => (a === null || b === null ? a === b : a.equals(b));

/**
 * Why a consumed Message differs from what was sent, or null when it is the record, byte for byte. Known
 * node-rdkafka 3.6 limits are part of "exact": a header name as `readableName` gives it, and a null header
 * value read as an empty one (its C++ copies the value with its length only).
 */
export function mismatch(sent: WireRecord, got: Message): string | null {
  if (got.error) return `error ${got.error.toString()}`;
  if (!same(sent.key, got.key)) return `key ${String(got.key?.length)} bytes, sent ${String(sent.key?.length)}`;
  if (!same(sent.value, got.value)) return `value ${String(got.value?.length)} bytes, sent ${String(sent.value?.length)}`;
  const headers = got.headers ?? [];
  if (headers.length !== sent.headers.length) return `${headers.length} headers, sent ${sent.headers.length}`;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    const want = sent.headers[i]!;
    if (name !== readableName(want.name))
      return `header ${i} named ${JSON.stringify(name)}, sent ${JSON.stringify(readableName(want.name))}`;
    if (!same(want.value ?? Buffer.alloc(0), value)) return `header ${i} (${name}) value differs`;
  }
  const ts = sent.timestamp >= 0 ? sent.timestamp : -1;
  return got.timestamp[1] === ts ? null : `timestamp ${got.timestamp[1]}, sent ${sent.timestamp}`;
}
