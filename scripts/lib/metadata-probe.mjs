// Readiness probe: a librdkafka metadata request, so "ready" means a real client sees the brokers.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Resolves with the number of brokers the cluster's metadata lists; rejects on timeout or error. */
export function probeMetadata(bootstrapServers, timeoutMs) {
  const Kafka = require('node-rdkafka');
  const producer = new Kafka.Producer({
    'bootstrap.servers': bootstrapServers,
    'client.id': 'nest-rdkafka-probe',
    'socket.connection.setup.timeout.ms': Math.max(1000, timeoutMs),
    log_level: 0,
  });
  return new Promise((resolve, reject) => {
    producer.once('event.error', () => {
      /* reported through connect's callback */
    });
    producer.connect({ timeout: timeoutMs }, (err, metadata) => {
      const done = () => (err ? reject(err) : resolve(metadata.brokers.length));
      if (producer.isConnected()) producer.disconnect(done);
      else done();
    });
  });
}
