export { ErrorCode, type ErrorCodeName } from './error-codes.js';
export { KafkaError, type KafkaErrorFlags } from './kafka.error.js';
export { ConfigException, KafkaException, QueueFullError } from './kafka.exception.js';
/** @internal the client layer's own helpers, stripped from the published typings */
export { fromNativeError, toKafkaException } from './from-native-error.js';
export {
  KeyDeserializationError,
  KeySerializationError,
  type SerializationErrorContext,
  ValueDeserializationError,
  ValueSerializationError,
} from './serialization.error.js';
export { MissingDependencyError } from './missing-dependency.error.js';
