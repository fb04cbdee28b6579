import { AdminClient, NewTopic, settleResults } from '../../../lib/admin/index.js';
import { NativeTopicAdmin } from '../../../lib/admin/backend/native-topics.backend.js';
import { uniqueTopic } from '../helpers/kafka-env.js';
import { tlsConfig } from '../helpers/tls-env.js';

/**
 * librdkafka leaves "no start line" on the OpenSSL error queue of the thread that creates a handle with
 * `ssl.ca.pem`; node-rdkafka's AdminClient does that on the JavaScript thread, where Node's TLS sockets live.
 * Without clearing it, the admin's kafkajs and kafka-ts connections (and any other TLS socket) failed on their
 * next read once the module's topic provisioning or listOffsets had created a native admin.
 */
describe('a librdkafka admin created with ssl.ca.pem (embedded broker, SSL listener)', () => {
  it('leaves the established TLS connections of kafkajs and kafka-ts working', async () => {
    const config = tlsConfig('SSL', 'pem');
    const admin = new AdminClient({ ...config });
    const native = new NativeTopicAdmin({ ...config }, undefined, () => undefined);
    const brokers = config['bootstrap.servers'].split(',').length;
    try {
      // Open the kafkajs and kafka-ts connections first.
      expect((await admin.describeCluster()).nodes).toHaveLength(brokers);
      expect(await admin.describeUserScramCredentials()).toBeInstanceOf(Map);
      await native.createTopic({ topic: uniqueTopic('tls-native'), numPartitions: 1, replicationFactor: 1, config: {} }, 10_000);
      expect((await admin.describeCluster()).nodes).toHaveLength(brokers);
      expect(await admin.describeUserScramCredentials()).toBeInstanceOf(Map);
      // And the other way round: a native admin (listOffsets' consumer is not one) between two kafkajs calls.
      const topic = uniqueTopic('tls-native-2');
      await settleResults(admin.createTopics([new NewTopic(topic, { numPartitions: 1, replicationFactor: 1 })]));
      expect((await admin.listTopics()).topics.has(topic)).toBe(true);
    } finally {
      await native.close();
      await admin.close();
    }
  });
});
