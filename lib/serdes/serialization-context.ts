import type { MessageHeader } from '../client/message.js';

/**
 * Which part of a message a serializer handles (confluent_kafka's `MessageField`).
 * @publicApi
 */
export const MessageField = Object.freeze({ KEY: 'key', VALUE: 'value' } as const);
/** @publicApi */
export type MessageField = (typeof MessageField)[keyof typeof MessageField];

/**
 * What a serializer knows about the message it works on (confluent_kafka's `SerializationContext`).
 * @publicApi
 */
export interface SerializationContext {
  readonly topic: string;
  readonly field: MessageField;
  /** The message's headers, when there are any; a serializer may read them (schema id headers). */
  readonly headers?: MessageHeader[] | null;
}
