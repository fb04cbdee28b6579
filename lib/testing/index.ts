/**
 * Test doubles, at the package's `nest-rdkafka/testing` subpath (the root does not load them, apart from the
 * registry mock it also exports): an in-memory cluster (`FakeKafka`) with fakes of node-rdkafka's consumer and
 * producer, and `TestServerRdKafka` / `TestClientRdKafka` running the real transport on it.
 * @example import { FakeKafka, TestServerRdKafka } from 'nest-rdkafka/testing';
 */
export { MockSchemaRegistryClient } from './mock-schema-registry.client.js';
export { FakeKafka, type FakeFaultOptions, type FakeFaultPoint, type FakeRecordInit, type FakeStoredRecord } from './fake-kafka.js';
export { FakeNativeClient } from './fake-native-client.js';
export type { FakeTopicPartition } from './fake-assignment.js';
export { type FakeCommit, FakeNativeConsumer } from './fake-native-consumer.js';
export type { FakeRebalance } from './fake-rebalancer.js';
export { type FakeErrorOptions, FakeLibrdKafkaError, fakeNativeError } from './fake-native-error.js';
export { type FakeProduced, FakeNativeProducer } from './fake-native-producer.js';
export { TestClientRdKafka, TestServerRdKafka } from './fake-transports.js';
