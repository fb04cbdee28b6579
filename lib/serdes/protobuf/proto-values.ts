import type * as Protobuf from 'protobufjs';

const INT64 = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64 = new Set(['uint64', 'fixed64']);
const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const RANGES: Record<string, readonly [bigint, bigint]> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
};

/**
 * Checks a value against a message type and prepares it for protobufjs's `fromObject`, which would otherwise
 * change values silently: wrap int32s, round int64s given as numbers or BigInts, turn unknown fields and
 * invalid strings into nothing. 64-bit integers may be BigInts, integer numbers or decimal strings; floats
 * must be exact float32 values; bytes are Buffers/Uint8Arrays; at most one member of a oneof is set.
 * @throws Error naming the field path and why
 * @internal
 */
export function toWireObject(protobuf: typeof Protobuf, type: Protobuf.Type, value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new Error(`${path || type.name}: a ${type.fullName.slice(1)} message must be an object`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    const field = type.fields[name];
    if (!field) {
      if (type.oneofs?.[name] && typeof v === 'string') continue; // protobufjs's virtual oneof member name
      throw new Error(`${path}${name}: ${type.fullName.slice(1)} has no field "${name}"`);
    }
    if (v === null || v === undefined) continue;
    out[name] = fieldValue(protobuf, field, v, `${path}${name}`);
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((n) => out[n] !== undefined);
    if (set.length > 1) throw new Error(`${path}${oneof.name}: oneof members ${set.join(', ')} are all set; at most one may be`);
  }
  return out;
}

function fieldValue(protobuf: typeof Protobuf, field: Protobuf.Field, v: unknown, path: string): unknown {
  field.resolve();
  if (field instanceof protobuf.MapField) {
    if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${path}: a map must be an object`);
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, single(protobuf, field, x, `${path}[${k}]`)]));
  }
  if (field.repeated) {
    if (!Array.isArray(v)) throw new Error(`${path}: a repeated field must be an array`);
    return v.map((x, i) => single(protobuf, field, x, `${path}[${i}]`));
  }
  return single(protobuf, field, v, path);
}

function single(protobuf: typeof Protobuf, field: Protobuf.Field, v: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return toWireObject(protobuf, resolved, v, `${path}.`);
  if (resolved instanceof protobuf.Enum) return enumValue(resolved, v, path);
  return scalar(protobuf, field.type, v, path);
}

function enumValue(e: Protobuf.Enum, v: unknown, path: string): unknown {
  if (typeof v === 'string' && e.values[v] !== undefined) return v;
  if (typeof v === 'number' && Number.isInteger(v) && inRange(BigInt(v), 'int32')) return v; // proto3 enums are open
  throw new Error(`${path}: ${JSON.stringify(v)} is not a value of enum ${e.fullName.slice(1)}`);
}

function scalar(protobuf: typeof Protobuf, type: string, v: unknown, path: string): unknown {
  const fail = (why: string) => new Error(`${path}: ${describe(v)} ${why}`);
  switch (type) {
    case 'double':
      if (typeof v !== 'number') throw fail('is not a number');
      return v;
    case 'float':
      if (typeof v !== 'number') throw fail('is not a number');
      if (!Number.isNaN(v) && Math.fround(v) !== v) throw fail('is not exactly representable as a float (32-bit): it would be rounded');
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw fail('is not a boolean');
      return v;
    case 'string':
      if (typeof v !== 'string') throw fail('is not a string');
      if (Buffer.from(v, 'utf8').toString('utf8') !== v) throw fail('holds a lone surrogate: it has no UTF-8 form');
      return v;
    case 'bytes':
      if (!(v instanceof Uint8Array)) throw fail('is not a Buffer or Uint8Array');
      return v;
    default:
      return integer(protobuf, type, v, fail);
  }
}

function integer(protobuf: typeof Protobuf, type: string, v: unknown, fail: (why: string) => Error): unknown {
  const wide = INT64.has(type) || UINT64.has(type);
  const kind = INT64.has(type)
    ? 'int64'
    : UINT64.has(type)
      ? 'uint64'
      : INT32.has(type)
        ? 'int32'
        : UINT32.has(type)
          ? 'uint32'
          : undefined;
  if (!kind) throw fail(`has a field type protobufjs does not know (${type})`);
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (wide && typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v);
  else throw fail(`is not an integer${wide ? ' (BigInt, integer number or decimal string)' : ''}`);
  if (!inRange(n, kind)) throw fail(`is out of range for ${type}`);
  if (!wide) return Number(n);
  // protobufjs needs the `long` package (its dependency) for exact 64-bit values; without it, it would round.
  const Long = protobuf.util.Long as unknown as { fromString(s: string, unsigned: boolean): unknown } | null;
  if (!Long) throw fail('cannot be written exactly: protobufjs found no "long" package');
  return Long.fromString(n.toString(), kind === 'uint64');
}

function inRange(n: bigint, kind: string): boolean {
  const [min, max] = RANGES[kind];
  return n >= min && n <= max;
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? Object.prototype.toString.call(v) : String(v);
}

/** protobufjs's `toObject` options: every field present, 64-bit integers as exact strings, enum names. */
export const TO_OBJECT_OPTIONS: Protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
};

/**
 * Turns the 64-bit integers of a `toObject` result (exact decimal strings) into BigInts, in place.
 * Map keys stay strings (object keys).
 * @internal
 */
export function longsToBigInt(protobuf: typeof Protobuf, type: Protobuf.Type, obj: Record<string, unknown>): Record<string, unknown> {
  for (const field of type.fieldsArray) {
    const v = obj[field.name];
    if (v === null || v === undefined) continue;
    const convert = (x: unknown): unknown => {
      if (field.resolvedType instanceof protobuf.Type) return longsToBigInt(protobuf, field.resolvedType, x as Record<string, unknown>);
      return typeof x === 'string' && (INT64.has(field.type) || UINT64.has(field.type)) ? BigInt(x) : x;
    };
    if (field instanceof protobuf.MapField)
      obj[field.name] = Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, convert(x)]));
    else if (Array.isArray(v)) obj[field.name] = v.map(convert);
    else obj[field.name] = convert(v);
  }
  return obj;
}
