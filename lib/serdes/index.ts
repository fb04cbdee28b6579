export { MessageField, type SerializationContext } from './serialization-context.js';
export type { Deserializer, Serializer } from './serializer.interface.js';
export * from './json-schema/index.js';
export * from './protobuf/index.js';
export type { RegistrySerializerConfig } from './registry/registry-serde.config.js';
export * from './serializing/index.js';
export {
  DoubleDeserializer,
  DoubleSerializer,
  IntegerDeserializer,
  IntegerSerializer,
  StringDeserializer,
  StringSerializer,
} from './primitive/primitive.serdes.js';
