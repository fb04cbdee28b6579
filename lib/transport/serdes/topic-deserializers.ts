import type { MessageHandler } from '@nestjs/microservices';
import type { Deserializer } from '../../serdes/serializer.interface.js';

/**
 * The deserializers for one topic's keys and values; either may be omitted (that part then uses the server's
 * `keyDeserializer` / `valueDeserializer`, or the JSON rules).
 * @publicApi
 */
export interface TopicDeserializers {
  value?: Deserializer;
  key?: Deserializer;
}

/**
 * What a handler may declare in its pattern's extras to decode its own records:
 * `@EventPattern('payments.proto', { deserializer: protobufDeserializer, keyDeserializer })`.
 * These win over the server's `deserializers` for the topic, which win over `valueDeserializer`.
 * @publicApi
 */
export interface RdKafkaHandlerSerdesExtras {
  deserializer?: Deserializer;
  keyDeserializer?: Deserializer;
}

function isDeserializer(v: unknown): v is Deserializer {
  return typeof (v as Deserializer | undefined)?.deserialize === 'function';
}

/** A handler's deserializers from its extras, if it declares any. @internal */
export function handlerDeserializers(handler: MessageHandler | null | undefined): TopicDeserializers | undefined {
  const extras = handler?.extras as RdKafkaHandlerSerdesExtras | undefined;
  const value = isDeserializer(extras?.deserializer) ? extras.deserializer : undefined;
  const key = isDeserializer(extras?.keyDeserializer) ? extras.keyDeserializer : undefined;
  return value || key ? { value, key } : undefined;
}

/** Whether any registered handler declares deserializers. @internal */
export function anyHandlerDeserializers(handlers: Iterable<MessageHandler>): boolean {
  for (const h of handlers) if (handlerDeserializers(h)) return true;
  return false;
}
