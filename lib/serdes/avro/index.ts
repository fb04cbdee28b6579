export type { AvroDeserializerConfig, AvroSerializerConfig } from './avro-serde.config.js';
export type { AvroSchemaInput, AvroType } from './avro-schema.util.js';
export { AvroDeserializer } from './avro.deserializer.js';
export { AvroSerializer } from './avro.serializer.js';
export { frame, MAGIC_BYTE, unframe, WIRE_HEADER_SIZE, type WireFrame } from './confluent-wire-format.js';
export { type AvroProduceRecord, AvroProducer, type AvroProducerConfig, type AvroProducerOptions } from './avro.producer.js';
export type { SchemaRegistryPrefixedConfig } from './schema-registry-config.util.js';
