import { OFFSET_INVALID } from '../../client/offsets.js';
import { TopicPartition } from '../../client/topic-partition.js';
import type { AdminOperationOptions } from '../admin-options.interface.js';
import { assertUniqueList, resultMap, type AdminResults } from '../admin-results.util.js';
import { ConsumerGroupTopicPartitions } from '../types/consumer-group-topic-partitions.js';
import { requestTimeout, type AdminBackends } from './admin-backends.js';

function groupIds(ids: readonly string[], what: string): void {
  assertUniqueList(ids, what, (g) => {
    if (typeof g !== 'string' || g === '') throw new TypeError(`${what}: group ids must be non-empty strings`);
    return g;
  });
}

/** deleteConsumerGroups: one DeleteGroups per group. @internal */
export function deleteConsumerGroups(
  b: AdminBackends,
  ids: readonly string[],
  options: AdminOperationOptions = {},
): AdminResults<string, void> {
  groupIds(ids, 'deleteConsumerGroups');
  return resultMap(
    ids,
    async (groupId) => {
      await (await b.kafkajs.ready('deleteConsumerGroups')).deleteGroups([groupId]);
    },
    requestTimeout(b, options),
    'deleteConsumerGroups',
  );
}

function checkRequests(requests: readonly ConsumerGroupTopicPartitions[], what: string): void {
  assertUniqueList(requests, what, (r) => {
    if (!(r instanceof ConsumerGroupTopicPartitions)) throw new TypeError(`${what}: expected ConsumerGroupTopicPartitions instances`);
    return r.groupId;
  });
}

/** listConsumerGroupOffsets: the committed offsets of each group (all its partitions when none are given). @internal */
export function listConsumerGroupOffsets(
  b: AdminBackends,
  requests: readonly ConsumerGroupTopicPartitions[],
  options: AdminOperationOptions = {},
): AdminResults<string, ConsumerGroupTopicPartitions> {
  checkRequests(requests, 'listConsumerGroupOffsets');
  return resultMap(
    requests.map((r) => r.groupId),
    async (groupId) => {
      const wanted = requests.find((r) => r.groupId === groupId)!.topicPartitions;
      const topics = wanted ? [...new Set(wanted.map((tp) => tp.topic))] : undefined;
      const answer = await (await b.kafkajs.ready('listConsumerGroupOffsets')).fetchOffsets({ groupId, topics });
      const committed = answer.flatMap(({ topic, partitions }) =>
        partitions.map(
          (p) =>
            new TopicPartition(topic, p.partition, Number(p.offset) < 0 ? OFFSET_INVALID : Number(p.offset), {
              metadata: p.metadata ?? null,
            }),
        ),
      );
      const result = wanted
        ? wanted.map((w) => committed.find((c) => c.samePartition(w)) ?? new TopicPartition(w.topic, w.partition, OFFSET_INVALID))
        : committed.filter((c) => c.offset !== OFFSET_INVALID);
      return new ConsumerGroupTopicPartitions(groupId, result);
    },
    requestTimeout(b, options),
    'listConsumerGroupOffsets',
  );
}

/** alterConsumerGroupOffsets: commits the given offsets for each group (which must have no members). @internal */
export function alterConsumerGroupOffsets(
  b: AdminBackends,
  requests: readonly ConsumerGroupTopicPartitions[],
  options: AdminOperationOptions = {},
): AdminResults<string, ConsumerGroupTopicPartitions> {
  checkRequests(requests, 'alterConsumerGroupOffsets');
  for (const r of requests) {
    if (!r.topicPartitions?.length)
      throw new TypeError(`alterConsumerGroupOffsets(${r.groupId}): topicPartitions with offsets are required`);
    const bad = r.topicPartitions.find((tp) => tp.offset < 0 || tp.partition < 0);
    if (bad) throw new TypeError(`alterConsumerGroupOffsets(${r.groupId}): ${bad.toString()} needs a partition and an absolute offset`);
    // node-rdkafka 3.6.1 does not pass TopicPartition metadata to librdkafka's commit: refuse rather than drop it.
    if (r.topicPartitions.some((tp) => tp.metadata))
      throw new TypeError(`alterConsumerGroupOffsets(${r.groupId}): commit metadata is not supported`);
  }
  const timeoutMs = requestTimeout(b, options);
  return resultMap(
    requests.map((r) => r.groupId),
    async (groupId) => {
      const r = requests.find((x) => x.groupId === groupId)!;
      await b.native.commitOffsets(
        groupId,
        r.topicPartitions!.map((tp) => ({
          topic: tp.topic,
          partition: tp.partition,
          offset: tp.offset,
        })),
        timeoutMs,
      );
      return r;
    },
    timeoutMs,
    'alterConsumerGroupOffsets',
  );
}
