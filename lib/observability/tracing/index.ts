export { KafkaTracing, type RequestSpan, type SendSpan } from './kafka-tracing.js';
export { headerGetter, nativeHeaderSetter, type ReadableHeaders } from './header-carrier.js';
export { MESSAGING_SYSTEM_KAFKA, MessagingAttr } from './messaging-attributes.js';
export { tracedDispatcher } from './traced-dispatcher.js';
