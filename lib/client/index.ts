export * from './offsets.js';
export { Message, type MessageHeader, type MessageInit } from './message.js';
export { ThrottleEvent } from './throttle-event.js';
export { TopicPartition, type TopicPartitionInit, type TopicPartitionLike } from './topic-partition.js';
