import type avsc from 'avsc';
import type { Schema, SchemaReference } from '../../schema-registry/index.js';
import { loadAvsc } from './load-avsc.js';
import { avroParseOptions } from './types/avro-type-factory.js';
import { AVRO_VALUE_DEFAULTS, type AvroValueOptions } from './types/avro-value.options.js';
import { parseExactJson } from '../registry/exact-json.js';
import { stringifyJsonLossless } from './types/lossless-json.js';

/** avsc's parsed schema type. @publicApi */
export type AvroType = avsc.Type;
/**
 * An Avro schema as JSON text, as parsed JSON (an object, or an array for a union), as an avsc Type, or as a
 * registry `Schema` (`{ schema: text, schemaType: 'AVRO', references: [{ name, subject, version }] }`,
 * confluent_kafka's `Schema(schema_str, 'AVRO', references)`) whose named types are defined in other
 * registered schemas. Parsed JSON is typed loosely on purpose: schemas are usually object literals or read
 * from files; BigInt literals are allowed for long defaults beyond ±(2^53-1).
 * @publicApi
 */
export type AvroSchemaInput = string | avsc.Type | Schema | Readonly<Record<string, unknown>> | readonly unknown[];

/** A schema's text as registered, its JSON, and the references its named types come from. @internal */
export interface AvroSchemaSource {
  readonly text: string;
  readonly json: unknown;
  readonly references: readonly SchemaReference[];
}

/** A parsed schema and the text the registry stores for it. @internal */
export interface ParsedAvroSchema {
  readonly type: avsc.Type;
  readonly text: string;
}

function isRegistrySchema(input: object): input is Schema {
  return !Array.isArray(input) && typeof (input as { schema?: unknown }).schema === 'string' && !('type' in input);
}

/**
 * The text, JSON and references of a schema input, without parsing it as Avro (its references may still
 * have to be fetched). Large integers in the text stay exact.
 * @throws Error when the text is not valid JSON or the input is a registry schema of another type
 * @internal
 */
export function avroSchemaSource(input: AvroSchemaInput): AvroSchemaSource {
  if (loadAvsc().Type.isType(input)) {
    // With the attributes, so logical types and decimal parameters are registered too.
    const json = (input as avsc.Type).schema({ exportAttrs: true });
    return { text: stringifyJsonLossless(json), json, references: [] };
  }
  if (typeof input === 'string') return { text: input, json: parseText(input), references: [] };
  if (isRegistrySchema(input)) {
    if (input.schemaType && input.schemaType !== 'AVRO') throw new Error(`a ${input.schemaType} schema is not an Avro schema`);
    return { text: input.schema, json: parseText(input.schema), references: input.references ?? [] };
  }
  return { text: stringifyJsonLossless(input), json: input, references: [] };
}

function parseText(text: string): unknown {
  try {
    return parseExactJson(text);
  } catch (e) {
    throw new Error(`schema is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Parses an Avro schema with our exact longs and logical types.
 * @param input the schema, or its source
 * @param options how values map to JavaScript
 * @param named types defined by the schema's references, by full name (see `namedTypesOf`); parsing adds
 *   the schema's own named types to it
 * @throws Error when it is not valid JSON or not a valid Avro schema (an undefined type name among them)
 * @internal
 */
export function parseAvroSchema(
  input: AvroSchemaInput | AvroSchemaSource,
  options: AvroValueOptions = {},
  named: Record<string, avsc.Type> = {},
): ParsedAvroSchema {
  const source = isSource(input) ? input : avroSchemaSource(input);
  const opts = avroParseOptions(
    {
      longs: options.longs ?? AVRO_VALUE_DEFAULTS.longs,
      logicalTypes: options.logicalTypes ?? AVRO_VALUE_DEFAULTS.logicalTypes,
    },
    named,
  );
  return { type: loadAvsc().Type.forSchema(source.json as avsc.schema.AvroSchema, opts), text: source.text };
}

function isSource(input: unknown): input is AvroSchemaSource {
  return typeof input === 'object' && input !== null && 'json' in input && 'references' in input && 'text' in input;
}

/** The full name (`namespace.Name`) of a named schema; undefined for primitives, arrays, maps and unions. @internal */
export function fullNameOf(json: unknown): string | undefined {
  const { name, namespace } = (typeof json === 'object' && json !== null ? json : {}) as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string') return undefined;
  return name.includes('.') || typeof namespace !== 'string' || !namespace ? name : `${namespace}.${name}`;
}

const MAX_SHOWN = 3;

/**
 * Why a value does not match a schema: up to three offending paths with the expected type and the value
 * found, or undefined when it matches.
 * @internal
 */
export function explainInvalid(type: avsc.Type, value: unknown): string | undefined {
  const problems: string[] = [];
  const valid = type.isValid(value, {
    errorHook: (path, val, t) => {
      problems.push(`${path.length ? path.join('.') : '<root>'}: expected ${expected(t)}, got ${show(val)}`);
    },
  });
  if (valid) return undefined;
  const shown = problems.slice(0, MAX_SHOWN).join('; ');
  return problems.length > MAX_SHOWN ? `${shown}; and ${problems.length - MAX_SHOWN} more` : shown;
}

function expected(t: avsc.Type): string {
  const expectation = (t as { expectation?: unknown }).expectation;
  if (typeof expectation === 'string') return `${t.typeName.replace('logical:', '')}: ${expectation}`;
  if (t.typeName === 'abstract:long') return 'long (a safe-integer number, or a BigInt from -2^63 to 2^63-1)';
  return t.name ?? t.typeName;
}

function show(val: unknown): string {
  if (val === undefined) return 'undefined (missing)';
  if (Buffer.isBuffer(val)) return `Buffer(${val.length})`;
  if (typeof val === 'bigint') return `${val}n`;
  if (val instanceof Date) return `Date(${Number.isNaN(val.getTime()) ? 'invalid' : val.toISOString()})`;
  try {
    const s = stringifyJsonLossless(val);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof val;
  }
}
