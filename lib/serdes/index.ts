export { MessageField, type SerializationContext } from './serialization-context.js';
export type { Deserializer, Serializer } from './serializer.interface.js';
