import { loadNative } from '../../../lib/client/native/index.js';
import { bootstrapServers } from './kafka-env.js';

/** Options of `createTopics()`: the test broker and one replica unless told otherwise. */
export interface CreateTopicsOptions {
  config?: Record<string, string>;
  ignoreExisting?: boolean;
  replicationFactor?: number;
  /** Another cluster than the test broker (the embedded 3-node cluster). */
  bootstrapServers?: string;
}

/**
 * Creates topics with node-rdkafka's native admin, over one connection (the project's AdminClient is tested on
 * its own). With `ignoreExisting`, a topic that already exists is not an error.
 */
export async function createTopics(topics: string[], partitions = 1, opts: CreateTopicsOptions = {}): Promise<void> {
  const admin = loadNative().AdminClient.create({ 'bootstrap.servers': opts.bootstrapServers ?? bootstrapServers() });
  try {
    await Promise.all(
      topics.map(
        (topic) =>
          new Promise<void>((resolve, reject) => {
            admin.createTopic(
              { topic, num_partitions: partitions, replication_factor: opts.replicationFactor ?? 1, config: opts.config ?? {} },
              15_000,
              (err) => {
                if (err && !(opts.ignoreExisting && /already exists/i.test(err.message))) reject(err);
                else resolve();
              },
            );
          }),
      ),
    );
  } finally {
    admin.disconnect();
  }
}

/** Creates one topic; fails if it exists. */
export function createTopic(topic: string, partitions = 1, config: Record<string, string> = {}): Promise<void> {
  return createTopics([topic], partitions, { config });
}
