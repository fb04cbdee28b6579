import type { Ajv as AjvCore } from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { Schema, SchemaReference, SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { messageOf } from '../avro/serde-error.util.js';
import type { JsonSchemaPeers } from '../registry/load-optional-peer.js';
import { parseExactJson } from '../registry/exact-json.js';
import type { JsonSchemaInput } from './json-schema-serde.config.js';

/** A JSON Schema as text and object, with its references. @internal */
export interface JsonSchemaSource {
  readonly text: string;
  readonly json: Record<string, unknown>;
  readonly references: readonly SchemaReference[];
}

/** @throws Error when the text is not a JSON object @internal */
export function jsonSchemaSource(input: JsonSchemaInput): JsonSchemaSource {
  if (typeof input === 'string') return { text: input, json: asObject(parseExactJson(input)), references: [] };
  if (isRegistrySchema(input)) return { ...jsonSchemaSource(input.schema), references: input.references ?? [] };
  return { text: JSON.stringify(input), json: input, references: [] };
}

function isRegistrySchema(input: Record<string, unknown> | Schema): input is Schema {
  return typeof input.schema === 'string' && (input.schemaType === 'JSON' || Array.isArray(input.references));
}

function asObject(v: unknown): Record<string, unknown> {
  if (typeof v === 'boolean') return v ? {} : { not: {} };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('a JSON Schema is an object (or a boolean)');
  return v as Record<string, unknown>;
}

/** The record name the record subject strategies use: the schema's `title`, as Confluent's serializers. @internal */
export function titleOf(json: Record<string, unknown>): string | undefined {
  return typeof json.title === 'string' ? json.title : undefined;
}

/** Confluent accepts draft-04 to 2020-12; ajv 8 reads draft-06/07 with its default class. */
function ajvClassFor(json: Record<string, unknown>, peers: JsonSchemaPeers): typeof AjvCore {
  const dialect = typeof json.$schema === 'string' ? json.$schema : '';
  if (dialect.includes('2020-12')) return peers.Ajv2020;
  if (dialect.includes('2019-09')) return peers.Ajv2019;
  if (dialect.includes('draft-04')) throw new Error(`draft-04 schemas are not supported (ajv 8 reads draft-06 and later): ${dialect}`);
  return peers.Ajv;
}

/**
 * Compiles a schema into a validator, its references (other registered subjects) fetched depth first and
 * added under the name its `$ref`s use. Unknown keywords are ignored (Confluent's own, such as
 * `connect.index`); formats are checked with ajv-formats.
 * @throws Error naming the reference that could not be fetched, or why the schema does not compile
 * @internal
 */
export async function compileJsonSchema(
  client: SchemaRegistryClientInterface,
  source: JsonSchemaSource,
  peers: JsonSchemaPeers,
): Promise<ValidateFunction> {
  const Ajv = ajvClassFor(source.json, peers);
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true, meta: true });
  peers.addFormats(ajv);
  await addReferences(ajv, client, source.references, new Set());
  try {
    return ajv.compile(stripDialect(source.json, ajv));
  } catch (e) {
    throw new Error(`the JSON Schema does not compile: ${messageOf(e)}`, { cause: e });
  }
}

/** ajv refuses a `$schema` of another dialect than its class: a referenced draft-07 schema in a 2020-12 root. */
function stripDialect(json: Record<string, unknown>, ajv: AjvCore): Record<string, unknown> {
  if (typeof json.$schema !== 'string' || ajv.getSchema(json.$schema.replace(/#$/, '')) || ajv.getSchema(json.$schema)) return json;
  const { $schema: _dropped, ...rest } = json;
  return rest;
}

async function addReferences(
  ajv: AjvCore,
  client: SchemaRegistryClientInterface,
  refs: readonly SchemaReference[],
  done: Set<string>,
): Promise<void> {
  for (const ref of refs) {
    const key = `${ref.subject}\u0000${ref.version}`;
    if (done.has(key)) continue;
    done.add(key); // before recursing: a reference cycle ends here
    const what = `schema reference "${ref.name}" (subject "${ref.subject}" version ${ref.version})`;
    let registered: Schema;
    try {
      registered = await client.getVersion(ref.subject, ref.version);
    } catch (e) {
      throw new Error(`could not fetch ${what}: ${messageOf(e)}`, { cause: e });
    }
    if (registered.schemaType !== 'JSON') throw new Error(`${what} is a ${registered.schemaType ?? 'AVRO'} schema, not JSON`);
    await addReferences(ajv, client, registered.references ?? [], done);
    try {
      const json = jsonSchemaSource(registered.schema).json;
      // Under the name the referring $ref uses (and its own $id, which ajv adds itself).
      if (!ajv.getSchema(ref.name)) ajv.addSchema(stripDialect(json, ajv), ref.name);
    } catch (e) {
      throw new Error(`${what} is not a usable JSON Schema: ${messageOf(e)}`, { cause: e });
    }
  }
}

/** ajv's errors as one line: `/path: message; …` (at most five). @internal */
export function explainErrors(validate: ValidateFunction): string {
  const errors = validate.errors ?? [];
  const shown = errors.slice(0, 5).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
  return shown.join('; ') + (errors.length > 5 ? ` (and ${errors.length - 5} more)` : '');
}
