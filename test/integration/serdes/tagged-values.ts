import type { AvroType } from '../../../lib/serdes/index.js';

/** Avro types as avsc describes them, with the parts the walk reads. */
interface Walkable {
  readonly typeName: string;
  readonly branchName?: string;
  readonly fields?: ReadonlyArray<{ name: string; type: Walkable }>;
  readonly itemsType?: Walkable;
  readonly valuesType?: Walkable;
  readonly types?: readonly Walkable[];
  isValid(v: unknown): boolean;
}

const doubleHex = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(n);
  return b.toString('hex');
};

/**
 * A value as the tagged JSON avro_peer.py reads and writes, by its Avro type: what both sides compare.
 * Longs and ints become {"$int"}, floats the hex of their double, timestamps µs, dates days, times µs.
 */
export function tagged(avroType: AvroType, v: unknown): unknown {
  const type = avroType as unknown as Walkable;
  if (v === null) return null;
  switch (type.typeName) {
    case 'int':
    case 'abstract:long':
      return { $int: String(v) };
    case 'float':
    case 'double':
      return { $float: Number.isNaN(v) ? 'nan' : doubleHex(v as number) };
    case 'bytes':
    case 'fixed':
      return { $bytes: (v as Buffer).toString('hex') };
    case 'logical:timestamp-millis':
      return { $timestamp_us: String(BigInt((v as Date).getTime()) * 1000n) };
    case 'logical:timestamp-micros':
      return { $timestamp_us: String(v) };
    case 'logical:date':
      return { $date_days: String((v as Date).getTime() / 86_400_000) };
    case 'logical:time-millis':
      return { $time_us: String((v as number) * 1000) };
    case 'logical:time-micros':
      return { $time_us: String(v) };
    case 'logical:decimal':
      return { $decimal: v };
    case 'record':
    case 'error':
      return Object.fromEntries(
        type.fields!.map((f) => [f.name, tagged(f.type as unknown as AvroType, (v as Record<string, unknown>)[f.name])]),
      );
    case 'array':
      return (v as unknown[]).map((x) => tagged(type.itemsType as unknown as AvroType, x));
    case 'map':
      return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, tagged(type.valuesType as unknown as AvroType, x)]));
    case 'union:unwrapped':
      return tagged(type.types!.find((t) => t.typeName !== 'null' && t.isValid(v)) as unknown as AvroType, v);
    case 'union:wrapped': {
      const [branch, inner] = Object.entries(v as object)[0];
      return tagged(type.types!.find((t) => t.branchName === branch) as unknown as AvroType, inner);
    }
    default:
      return v; // null, boolean, string, enum, uuid
  }
}

/**
 * Compares two tagged values field by field (every leaf), collecting differences with their paths.
 * @returns how many leaf fields were compared
 */
export function compareFields(expected: unknown, actual: unknown, path: string, diffs: string[]): number {
  if (typeof expected === 'object' && expected !== null && !isTag(expected)) {
    if (typeof actual !== 'object' || actual === null) {
      diffs.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return 1;
    }
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    let n = 0;
    for (const k of keys)
      n += compareFields((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${path}.${k}`, diffs);
    return n;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual))
    diffs.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  return 1;
}

function isTag(v: object): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0].startsWith('$');
}
