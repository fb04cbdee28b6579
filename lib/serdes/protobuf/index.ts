export type { ProtobufDeserializerConfig, ProtobufLongs, ProtobufSchemaInput, ProtobufSerializerConfig } from './protobuf-serde.config.js';
export { ProtobufDeserializer } from './protobuf.deserializer.js';
export { ProtobufSerializer } from './protobuf.serializer.js';
