import type avsc from 'avsc';
import type { SchemaReference, SchemaRegistryClientInterface } from '../../schema-registry/index.js';
import { avroSchemaSource, parseAvroSchema } from './avro-schema.util.js';
import type { AvroValueOptions } from './types/avro-value.options.js';
import { messageOf } from './serde-error.util.js';

/**
 * The named types a schema's references define, by full name, for `parseAvroSchema`: each referenced
 * subject version is fetched (the client caches fixed versions), its own references first (depth first, as
 * Confluent's serializers do), and parsed into one shared set of names. A version referenced twice (a
 * diamond) is parsed once.
 * @throws Error naming the reference that could not be fetched or parsed
 * @internal
 */
export async function namedTypesOf(
  client: SchemaRegistryClientInterface,
  references: readonly SchemaReference[],
  options: AvroValueOptions,
  named: Record<string, avsc.Type> = {},
  done = new Set<string>(),
): Promise<Record<string, avsc.Type>> {
  for (const ref of references) {
    const key = `${ref.subject}\u0000${ref.version}`;
    if (done.has(key)) continue;
    done.add(key); // before recursing: a reference cycle ends here instead of looping
    const what = `schema reference "${ref.name}" (subject "${ref.subject}" version ${ref.version})`;
    let registered;
    try {
      registered = await client.getVersion(ref.subject, ref.version);
    } catch (e) {
      throw new Error(`could not fetch ${what}: ${messageOf(e)}`, { cause: e });
    }
    if (registered.schemaType && registered.schemaType !== 'AVRO')
      throw new Error(`${what} is a ${registered.schemaType} schema, not Avro`);
    await namedTypesOf(client, registered.references ?? [], options, named, done);
    try {
      parseAvroSchema(avroSchemaSource(registered.schema), options, named);
    } catch (e) {
      throw new Error(`${what} is not a valid Avro schema: ${messageOf(e)}`, { cause: e });
    }
  }
  return named;
}

/**
 * Parses a schema whose named types may come from references.
 * @throws Error when a reference cannot be resolved or the schema is invalid
 * @internal
 */
export async function loadAvroType(
  client: SchemaRegistryClientInterface,
  schema: string,
  references: readonly SchemaReference[] | undefined,
  options: AvroValueOptions,
): Promise<avsc.Type> {
  const named = references?.length ? await namedTypesOf(client, references, options) : {};
  return parseAvroSchema(avroSchemaSource(schema), options, named).type;
}
