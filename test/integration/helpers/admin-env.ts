import { loadNative } from '../../../lib/client/native/load-native.js';
import type { AdminClient, AdminResults, ConsumerGroupDescription } from '../../../lib/admin/index.js';
import { ErrorCode, KafkaException } from '../../../lib/errors/index.js';
import { disconnectWithin } from './native-disconnect.js';

/** The SASL_PLAINTEXT (SCRAM) listener of the test broker. */
export function saslBootstrapServers(): string {
  const servers = process.env.KAFKA_SASL_BOOTSTRAP_SERVERS;
  if (!servers) throw new Error('KAFKA_SASL_BOOTSTRAP_SERVERS is not set: run integration tests through `npm test`');
  return servers;
}

/** The rejection of a result, asserting it is a KafkaException. */
export async function rejectionOf(p: Promise<unknown> | undefined): Promise<KafkaException> {
  if (!p) throw new Error('no result for this key');
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof KafkaException)) throw new Error(`expected a KafkaException, got ${String(e)}`);
  return e;
}

/** Awaits every result of a map, failing on the first rejection. */
export async function allOf<K, V>(results: AdminResults<K, V>): Promise<V[]> {
  return Promise.all([...results.values()]);
}

/** Produces `count` messages to partition 0 with node-rdkafka and waits for their delivery. */
export async function produce(servers: string, topic: string, values: { value: string; timestamp?: number }[]): Promise<void> {
  const { HighLevelProducer } = loadNative();
  const producer = new HighLevelProducer({ 'bootstrap.servers': servers });
  await new Promise<void>((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())));
  try {
    for (const m of values) {
      await new Promise<void>((resolve, reject) => {
        producer.produce(topic, 0, Buffer.from(m.value), null, m.timestamp ?? Date.now(), (err: unknown) =>
          err ? reject(err) : resolve(),
        );
      });
    }
  } finally {
    await disconnectWithin(producer, 'the producer');
  }
}

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/**
 * A group's description, or undefined while the broker does not know the group yet: Kafka 4 answers
 * GROUP_ID_NOT_FOUND for a group whose first member has not joined (on a loaded machine that takes a while).
 */
export function describedGroup(admin: AdminClient, groupId: string): Promise<ConsumerGroupDescription | undefined> {
  return admin
    .describeConsumerGroups([groupId])
    .get(groupId)!
    .catch((err: unknown) => {
      if (err instanceof KafkaException && err.code === ErrorCode.GROUP_ID_NOT_FOUND) return undefined;
      throw err;
    });
}
