import { ErrorCode, KafkaError, KafkaException } from '../../errors/index.js';
import type { ValidateOnlyOptions, AdminOperationOptions } from '../admin-options.interface.js';
import { adminPromise, assertUniqueList, resultMap, withTimeout, type AdminResults } from '../admin-results.util.js';
import { JsonMap } from '../json-friendly.js';
import { NewPartitions } from '../types/new-partitions.js';
import { NewTopic } from '../types/new-topic.js';
import type { ClusterDescription, ListTopicsResult, Node, TopicDescription } from '../types/admin-results.interface.js';
import { operationTimeout, requestTimeout, type AdminBackends } from './admin-backends.js';

/**
 * How long node-rdkafka polls for a librdkafka admin answer: never past the call's own timeout, since the
 * poll holds a libuv thread and the handle's lock until it ends.
 */
function nativeTimeout(b: AdminBackends, options: AdminOperationOptions): number {
  return Math.min(operationTimeout(options), requestTimeout(b, options));
}

/**
 * One topic through kafkajs: only for what librdkafka's binding cannot send (a replica assignment, a dry
 * run). Without `waitForLeaders`: kafkajs's leader check after creation polls Metadata a bounded number of
 * times and rejects a topic it created with UNKNOWN_TOPIC_OR_PARTITION when the metadata lags (~2 in 120);
 * like librdkafka's, the answer is the controller's.
 */
async function createWithKafkaJs(b: AdminBackends, t: NewTopic, validateOnly: boolean, options: ValidateOnlyOptions): Promise<void> {
  const created = await (
    await b.kafkajs.ready('createTopics')
  ).createTopics({
    validateOnly,
    timeout: operationTimeout(options),
    waitForLeaders: false,
    topics: [
      {
        topic: t.topic,
        numPartitions: t.replicaAssignment ? undefined : t.numPartitions,
        replicationFactor: t.replicaAssignment ? undefined : t.replicationFactor,
        replicaAssignment: t.replicaAssignment?.map((replicas, partition) => ({ partition, replicas: [...replicas] })),
        configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
      },
    ],
  });
  // kafkajs swallows TOPIC_ALREADY_EXISTS into `false`; give it back its code.
  if (!created) throw new KafkaException(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.topic}' already exists.`);
}

/**
 * createTopics: one CreateTopics request per topic, so each topic gets its own error. librdkafka's CreateTopics
 * serves it (every security setting librdkafka speaks); a replica assignment or `validateOnly`, which
 * node-rdkafka 3.6 cannot pass, goes through kafkajs.
 * @internal
 */
export function createTopics(b: AdminBackends, topics: readonly NewTopic[], options: ValidateOnlyOptions = {}): AdminResults<string, void> {
  assertUniqueList(topics, 'createTopics', (t) => {
    if (!(t instanceof NewTopic)) throw new TypeError('createTopics: expected NewTopic instances');
    return t.topic;
  });
  const validateOnly = options.validateOnly ?? false;
  return resultMap(
    topics.map((t) => t.topic),
    async (name) => {
      const t = topics.find((x) => x.topic === name)!;
      if (validateOnly || t.replicaAssignment) return createWithKafkaJs(b, t, validateOnly, options);
      await b.topics.createTopic(
        { topic: t.topic, numPartitions: t.numPartitions, replicationFactor: t.replicationFactor, config: t.config },
        nativeTimeout(b, options),
      );
    },
    requestTimeout(b, options),
    'createTopics',
  );
}

/** deleteTopics: librdkafka's DeleteTopics, one request per topic. @internal */
export function deleteTopics(b: AdminBackends, topics: readonly string[], options: AdminOperationOptions = {}): AdminResults<string, void> {
  assertUniqueList(topics, 'deleteTopics', (t) => {
    if (typeof t !== 'string' || t === '') throw new TypeError('deleteTopics: topic names must be non-empty strings');
    return t;
  });
  return resultMap(topics, (topic) => b.topics.deleteTopic(topic, nativeTimeout(b, options)), requestTimeout(b, options), 'deleteTopics');
}

/**
 * createPartitions: librdkafka's CreatePartitions, one request per topic; a replica assignment or
 * `validateOnly` (which node-rdkafka 3.6 cannot pass) goes through kafkajs.
 * @internal
 */
export function createPartitions(
  b: AdminBackends,
  items: readonly NewPartitions[],
  options: ValidateOnlyOptions = {},
): AdminResults<string, void> {
  assertUniqueList(items, 'createPartitions', (p) => {
    if (!(p instanceof NewPartitions)) throw new TypeError('createPartitions: expected NewPartitions instances');
    return p.topic;
  });
  return resultMap(
    items.map((p) => p.topic),
    async (topic) => {
      const p = items.find((x) => x.topic === topic)!;
      if (!options.validateOnly && !p.replicaAssignment)
        return b.topics.createPartitions(topic, p.newTotalCount, nativeTimeout(b, options));
      await (
        await b.kafkajs.ready('createPartitions')
      ).createPartitions({
        validateOnly: options.validateOnly ?? false,
        timeout: operationTimeout(options),
        topicPartitions: [{ topic, count: p.newTotalCount, assignments: p.replicaAssignment?.map((r) => [...r]) }],
      });
    },
    requestTimeout(b, options),
    'createPartitions',
  );
}

interface KafkaJsPartitionMetadata {
  partitionErrorCode: number;
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

function toDescription(name: string, partitions: KafkaJsPartitionMetadata[]): TopicDescription {
  return {
    name,
    partitions: partitions
      .map((p) => ({
        id: p.partitionId,
        leader: p.leader >= 0 ? p.leader : null,
        replicas: [...p.replicas],
        isr: [...p.isr],
        error: p.partitionErrorCode ? new KafkaError(p.partitionErrorCode) : null,
      }))
      .sort((x, y) => x.id - y.id),
  };
}

/** describeTopics: one Metadata request per topic (no auto-creation). @internal */
export function describeTopics(
  b: AdminBackends,
  topics: readonly string[],
  options: AdminOperationOptions = {},
): AdminResults<string, TopicDescription> {
  assertUniqueList(topics, 'describeTopics', (t) => t);
  return resultMap(
    topics,
    async (topic) => {
      const listed = await (await b.kafkajs.ready('describeTopics')).listTopics();
      // kafkajs's metadata request allows auto-creation; asking only for existing topics keeps describe read-only.
      if (!listed.includes(topic)) throw new KafkaException(ErrorCode.UNKNOWN_TOPIC_OR_PART, `Topic '${topic}' does not exist`);
      const {
        topics: [meta],
      } = await (await b.kafkajs.ready('describeTopics')).fetchTopicMetadata({ topics: [topic] });
      return toDescription(topic, meta!.partitions as KafkaJsPartitionMetadata[]);
    },
    requestTimeout(b, options),
    'describeTopics',
  );
}

/** describeCluster: cluster id, controller and brokers from Metadata. @internal */
export function describeCluster(b: AdminBackends, options: AdminOperationOptions = {}): Promise<ClusterDescription> {
  return adminPromise(
    withTimeout(
      (async () => {
        const c = await (await b.kafkajs.ready('describeCluster')).describeCluster();
        const nodes: Node[] = c.brokers.map((n) => ({ id: n.nodeId, host: n.host, port: n.port, rack: null })).sort((x, y) => x.id - y.id);
        return { clusterId: c.clusterId ?? null, controller: nodes.find((n) => n.id === c.controller) ?? null, nodes };
      })(),
      requestTimeout(b, options),
      'describeCluster',
    ),
  );
}

/** listTopics: the cluster and every topic's partitions. @internal */
export function listTopics(b: AdminBackends, options: AdminOperationOptions = {}): Promise<ListTopicsResult> {
  return adminPromise(
    withTimeout(
      (async () => {
        const cluster = await describeCluster(b, options);
        const names = await (await b.kafkajs.ready('listTopics')).listTopics();
        const meta = names.length ? (await (await b.kafkajs.ready('listTopics')).fetchTopicMetadata({ topics: names })).topics : [];
        const topics = new JsonMap(meta.map((t) => [t.name, toDescription(t.name, t.partitions as KafkaJsPartitionMetadata[])] as const));
        return { ...cluster, topics };
      })(),
      requestTimeout(b, options),
      'listTopics',
    ),
  );
}
