/**
 * Logical offsets and timestamp types, with confluent_kafka's names and librdkafka's values.
 * @publicApi
 */
/** The oldest offset still in the partition. */
export const OFFSET_BEGINNING = -2;
/** The offset the next produced message will get (the end of the partition). */
export const OFFSET_END = -1;
/** The group's committed offset (falls back to `auto.offset.reset`). */
export const OFFSET_STORED = -1000;
/** No offset: unset or unknown. */
export const OFFSET_INVALID = -1001;

/** The message has no timestamp (or librdkafka did not report one). */
export const TIMESTAMP_NOT_AVAILABLE = 0;
/** The producer set the timestamp (the default `message.timestamp.type`). */
export const TIMESTAMP_CREATE_TIME = 1;
/** The broker set the timestamp when it appended the message. */
export const TIMESTAMP_LOG_APPEND_TIME = 2;

/** @publicApi */
export type TimestampType = typeof TIMESTAMP_NOT_AVAILABLE | typeof TIMESTAMP_CREATE_TIME | typeof TIMESTAMP_LOG_APPEND_TIME;
