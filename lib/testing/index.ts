export { MockSchemaRegistryClient } from './mock-schema-registry.client.js';
export { FakeKafka, type FakeFaultOptions, type FakeFaultPoint, type FakeRecordInit, type FakeStoredRecord } from './fake-kafka.js';
export { FakeNativeClient } from './fake-native-client.js';
export type { FakeTopicPartition } from './fake-assignment.js';
export { type FakeCommit, FakeNativeConsumer } from './fake-native-consumer.js';
export type { FakeRebalance } from './fake-rebalancer.js';
export { type FakeErrorOptions, FakeLibrdKafkaError, fakeNativeError } from './fake-native-error.js';
export { type FakeProduced, FakeNativeProducer } from './fake-native-producer.js';
export { TestClientRdKafka, TestServerRdKafka } from './fake-transports.js';
