import avsc from 'avsc';

/** avsc's parsed schema type. @publicApi */
export type AvroType = avsc.Type;
/**
 * An Avro schema as JSON text, as parsed JSON (an object, or an array for a union), or as an avsc Type.
 * Parsed JSON is typed loosely on purpose: schemas are usually object literals or read from files.
 * @publicApi
 */
export type AvroSchemaInput = string | avsc.Type | Readonly<Record<string, unknown>> | readonly unknown[];

/** A parsed schema and the text the registry stores for it. @internal */
export interface ParsedAvroSchema {
  readonly type: avsc.Type;
  readonly text: string;
}

/**
 * Parses an Avro schema given as JSON text, as a JSON object or as an avsc Type.
 * @throws Error when it is not valid JSON or not a valid Avro schema
 * @internal
 */
export function parseAvroSchema(input: AvroSchemaInput): ParsedAvroSchema {
  if (avsc.Type.isType(input)) {
    const type = input as avsc.Type;
    return { type, text: JSON.stringify(type.schema()) };
  }
  if (typeof input === 'string') {
    let json: unknown;
    try {
      json = JSON.parse(input);
    } catch (e) {
      throw new Error(`schema is not valid JSON: ${(e as Error).message}`);
    }
    return { type: avsc.Type.forSchema(json as avsc.schema.AvroSchema), text: input };
  }
  return { type: avsc.Type.forSchema(input as unknown as avsc.schema.AvroSchema), text: JSON.stringify(input) };
}

/** The full name (`namespace.Name`) of a named schema; undefined for primitives, arrays, maps and unions. @internal */
export function fullNameOf(type: avsc.Type): string | undefined {
  return type.name ?? undefined;
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
      problems.push(`${path.length ? path.join('.') : '<root>'}: expected ${t.name ?? t.typeName}, got ${show(val)}`);
    },
  });
  if (valid) return undefined;
  const shown = problems.slice(0, MAX_SHOWN).join('; ');
  return problems.length > MAX_SHOWN ? `${shown}; and ${problems.length - MAX_SHOWN} more` : shown;
}

function show(val: unknown): string {
  if (val === undefined) return 'undefined (missing)';
  if (Buffer.isBuffer(val)) return `Buffer(${val.length})`;
  if (typeof val === 'bigint') return `${val}n`;
  try {
    const s = JSON.stringify(val);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof val;
  }
}
