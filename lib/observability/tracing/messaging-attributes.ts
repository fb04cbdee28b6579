/**
 * The attribute names of OpenTelemetry's semantic conventions for messaging spans (Kafka), as
 * `@opentelemetry/semantic-conventions` 1.45 names them (`ATTR_MESSAGING_*` in its incubating entry point,
 * `ATTR_ERROR_TYPE` in the stable one). Spelled out here rather than imported: that package is not a peer of
 * ours, and these strings are what the conventions define. `messaging.kafka.destination.partition` and
 * `messaging.kafka.message.offset` are deprecated there in favour of the two names used below.
 * @internal
 */
export const MessagingAttr = Object.freeze({
  SYSTEM: 'messaging.system',
  OPERATION_TYPE: 'messaging.operation.type',
  OPERATION_NAME: 'messaging.operation.name',
  DESTINATION_NAME: 'messaging.destination.name',
  PARTITION_ID: 'messaging.destination.partition.id',
  KAFKA_OFFSET: 'messaging.kafka.offset',
  KAFKA_MESSAGE_KEY: 'messaging.kafka.message.key',
  KAFKA_TOMBSTONE: 'messaging.kafka.message.tombstone',
  CONSUMER_GROUP: 'messaging.consumer.group.name',
  BODY_SIZE: 'messaging.message.body.size',
  CONVERSATION_ID: 'messaging.message.conversation_id',
  ERROR_TYPE: 'error.type',
} as const);

/** `messaging.system` of every span here. @internal */
export const MESSAGING_SYSTEM_KAFKA = 'kafka';
