import type avsc from 'avsc';
import { loadAvsc } from '../load-avsc.js';
import { avroLongType } from './avro-long.type.js';
import type { AvroValueOptions } from './avro-value.options.js';
import { defineDecimalType } from './logical/decimal.logical-type.js';
import { defineExactLogicalType } from './logical/exact-logical.type.js';
import { defineTemporalTypes } from './logical/temporal.logical-types.js';
import { defineUuidType } from './logical/uuid.logical-type.js';

type LogicalTypeClass = new (schema: avsc.Schema, opts?: unknown) => avsc.types.LogicalType;
type LogicalTypeTable = Readonly<Record<string, LogicalTypeClass>>;

/** Logical types on longs: built by the type hook, so their underlying long is our exact one. */
const ON_LONG_NAMES: ReadonlySet<string> = new Set(['timestamp-millis', 'timestamp-micros', 'time-micros']);
const OTHER_NAMES: ReadonlySet<string> = new Set(['date', 'time-millis', 'decimal', 'uuid']);

let classes: { readonly onLongs: LogicalTypeTable; readonly others: LogicalTypeTable } | undefined;

/** Our logical type classes, defined once avsc is loaded (they extend its LogicalType). */
function logicalTypes(): NonNullable<typeof classes> {
  if (classes) return classes;
  const base = defineExactLogicalType(loadAvsc());
  const t = defineTemporalTypes(base);
  classes = {
    onLongs: { 'timestamp-millis': t.TimestampMillisType, 'timestamp-micros': t.TimestampMicrosType, 'time-micros': t.TimeMicrosType },
    others: { date: t.DateType, 'time-millis': t.TimeMillisType, decimal: defineDecimalType(base), uuid: defineUuidType(base) },
  };
  return classes;
}
const NUMERIC = new Set(['int', 'long', 'float', 'double']);

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** avsc's parse options for these value options, adding to `registry` (named types, references). @internal */
export function avroParseOptions(options: Required<AvroValueOptions>, registry: Record<string, avsc.Type>): Partial<avsc.ForSchemaOptions> {
  const runtime = loadAvsc();
  const { onLongs, others } = logicalTypes();
  const long = avroLongType(options.longs);
  // Named "long" in a schema resolves through the registry; {"type": "long"} objects through the hook.
  registry.long = long;
  const building = new Set<object>();
  const typeHook = (schema: unknown, opts: avsc.ForSchemaOptions): avsc.Type | undefined => {
    if (Array.isArray(schema)) return hasTwoNumberBranches(schema, options) ? new runtime.types.WrappedUnionType(schema, opts) : undefined;
    if (!isObject(schema) || schema.type !== 'long') return undefined;
    const Logical = options.logicalTypes ? onLongs[String(schema.logicalType)] : undefined;
    // The logical type's constructor asks for its underlying type with the same object: that is our long.
    if (!Logical || building.has(schema)) return long;
    building.add(schema);
    try {
      return new Logical(schema as avsc.Schema, opts);
    } catch {
      return long; // invalid logical type: the spec says use the underlying type
    } finally {
      building.delete(schema);
    }
  };
  return { registry, typeHook, logicalTypes: options.logicalTypes ? others : {}, wrapUnions: 'auto' };
}

/**
 * avsc wraps a union whose branches it cannot tell apart by a value's JavaScript type (`["int", "long"]`),
 * deciding by its built-in long. Our long is a custom type avsc does not count, so the same unions are
 * wrapped here, keeping their representation (`{"long": 5}`) and avoiding ambiguous writes.
 */
function hasTwoNumberBranches(branches: readonly unknown[], options: Required<AvroValueOptions>): boolean {
  const numeric = branches.filter((b) => {
    const name = isObject(b) ? b.type : b;
    const logical =
      isObject(b) && options.logicalTypes && (ON_LONG_NAMES.has(String(b.logicalType)) || OTHER_NAMES.has(String(b.logicalType)));
    return typeof name === 'string' && NUMERIC.has(name) && !logical;
  });
  return numeric.length > 1 && numeric.some((b) => (isObject(b) ? b.type : b) === 'long');
}
