import type { RdKafkaServerModuleOptions, RdKafkaTopicOptions } from './interfaces/rdkafka-module-options.interface.js';
import type { ExistingTopic } from './topic-admin.js';
import { routesFailures, serverErrorPolicy } from '../transport/server/dead-letter/server-failures.js';
import { deadLetterTopicName, retryTopicNames } from '../transport/server/dead-letter/topic-names.js';

/**
 * The retry and dead-letter topics of the declared topics, when the module's server sends records there: each
 * with its source topic's partition count (as the cluster has it, else as declared), replication factor and
 * configs, so keyed records keep their partition spread. Topics declared anyway, and sources declared with
 * `failureTopics: false`, are left out; retry topics as `retryTopics.topics` and `perTopic` say.
 * @param found the declared topics as the cluster has them after provisioning
 * @internal
 */
export function failureTopicsOf(
  server: RdKafkaServerModuleOptions | undefined,
  declared: readonly RdKafkaTopicOptions[],
  found: ReadonlyMap<string, ExistingTopic>,
): RdKafkaTopicOptions[] {
  if (!server || !routesFailures(serverErrorPolicy(server))) return [];
  const taken = new Set(declared.map((t) => t.name));
  const out: RdKafkaTopicOptions[] = [];
  for (const source of declared) {
    if (source.failureTopics === false) continue;
    const names: (string | null)[] = [deadLetterTopicName(server.deadLetter, source.name)];
    if (server.retryTopics) names.push(...retryTopicNames(server.retryTopics, source.name));
    for (const name of names) {
      if (name === null || taken.has(name)) continue;
      taken.add(name);
      out.push({ ...source, name, numPartitions: found.get(source.name)?.partitions ?? source.numPartitions ?? -1 });
    }
  }
  return out;
}
