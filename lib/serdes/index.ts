/**
 * Serializers and deserializers, at 'nest-rdkafka/serdes': the primitive ones, the Schema Registry client and
 * the registry serdes (Avro, JSON Schema, Protobuf) with the Confluent wire format, SerializingProducer /
 * DeserializingConsumer, and the Avro clients. The optional peers (avsc, ajv, protobufjs) load on first use.
 */
export { MessageField, type SerializationContext } from './serialization-context.js';
export type { Deserializer, Serializer } from './serializer.interface.js';
export {
  DoubleDeserializer,
  DoubleSerializer,
  IntegerDeserializer,
  IntegerSerializer,
  StringDeserializer,
  StringSerializer,
} from './primitive/primitive.serdes.js';
export type { RegistrySerializerConfig } from './registry/registry-serde.config.js';
export * from './serializing/index.js';
export * from './json-schema/index.js';
export * from './protobuf/index.js';
export * from './avro/index.js';
export * from '../schema-registry/index.js';
