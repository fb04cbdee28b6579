export type { JsonSchemaDeserializerConfig, JsonSchemaInput, JsonSchemaSerializerConfig } from './json-schema-serde.config.js';
export { JsonSchemaDeserializer } from './json-schema.deserializer.js';
export { JsonSchemaSerializer } from './json-schema.serializer.js';
