import { loadNative } from '../../../lib/client/native/index.js';
import { bootstrapServers } from './kafka-env.js';

/** Creates a topic with node-rdkafka's native admin (the project's AdminClient is tested on its own). */
export function createTopic(topic: string, partitions = 1, config: Record<string, string> = {}): Promise<void> {
  const admin = loadNative().AdminClient.create({ 'bootstrap.servers': bootstrapServers() });
  return new Promise<void>((resolve, reject) => {
    admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1, config }, 15_000, (err) => {
      admin.disconnect();
      if (err) reject(err);
      else resolve();
    });
  });
}
