import type { TopicPartition } from '../client/topic-partition.js';
import { ADMIN_DEFAULTS } from './admin.constants.js';
import type { ElectionType } from './admin.enums.js';
import type {
  AdminClientConfig,
  AdminClientOptions,
  AdminOperationOptions,
  AdminProperties,
  DescribeConfigsOptions,
  ListConsumerGroupsOptions,
  ListOffsetsOptions,
  ValidateOnlyOptions,
} from './admin-options.interface.js';
import type { AdminResults } from './admin-results.util.js';
import { adminPropertiesOf } from './admin-properties.js';
import { redactConfig, redactWhenPrinted } from '../security/index.js';
import { numberProperty } from './backend/admin-connection.js';
import { KafkaJsBackend } from './backend/kafkajs.backend.js';
import { KafkaTsBackend } from './backend/kafka-ts.backend.js';
import { NativeOffsetsBackend } from './backend/native-offsets.backend.js';
import * as acl from './ops/acl.ops.js';
import type { AdminBackends } from './ops/admin-backends.js';
import * as cfg from './ops/config.ops.js';
import * as group from './ops/group.ops.js';
import { copyConsumerGroupOffsets, type CopyConsumerGroupOffsetsOptions } from './ops/group-copy.ops.js';
import * as offset from './ops/offset.ops.js';
import * as proto from './ops/protocol.ops.js';
import * as topic from './ops/topic.ops.js';
import type { AclBinding } from './types/acl-binding.js';
import type { AclBindingFilter } from './types/acl-binding-filter.js';
import type * as R from './types/admin-results.interface.js';
import type { ConfigEntry } from './types/config-entry.js';
import type { ConfigResource } from './types/config-resource.js';
import type { ConsumerGroupTopicPartitions } from './types/consumer-group-topic-partitions.js';
import type { NewPartitions } from './types/new-partitions.js';
import type { NewTopic } from './types/new-topic.js';
import type { OffsetSpec } from './types/offset-spec.js';
import type { UserScramCredentialAlteration } from './types/user-scram-credential-alteration.js';

/**
 * Kafka's admin API with confluent_kafka's `AdminClient` surface. Operations on several resources return
 * `AdminResults`: a Map from each resource you passed to its own promise, so one failure does not hide the
 * others' results (`settleResults()` awaits them all). Invalid arguments throw a TypeError at once; every
 * broker or client failure rejects with a `KafkaException` carrying librdkafka's code.
 *
 * Backends (node-rdkafka binds only three admin calls): kafkajs serves most operations, node-rdkafka serves
 * listOffsets and alterConsumerGroupOffsets, and the optional kafka-ts package serves
 * incrementalAlterConfigs, the SCRAM calls and electLeaders (without it they reject with `MissingDependencyError`).
 * See lib/admin/README.md for the table. Connections open on first use; `close()` releases them.
 * @publicApi
 */
export class AdminClient {
  readonly #b: AdminBackends;
  readonly #config: AdminProperties;

  static {
    redactWhenPrinted(this, (self) => ({ config: redactConfig(self.#config) }));
  }

  /**
   * Nothing connects here and no backend reads the security settings yet: a configuration librdkafka accepts
   * never fails construction (or a Nest module's start). An operation whose backend cannot use it (kafkajs and
   * kafka-ts speak neither GSSAPI nor OAUTHBEARER) rejects when called, naming the operation and the reason.
   * @param config librdkafka properties (`bootstrap.servers`, `security.protocol`, `sasl.*`, `ssl.*`,
   *   `request.timeout.ms`, …)
   * @param options a logger for the backends' warnings (silent by default)
   * @throws ConfigException on a `request.timeout.ms` that is not a number, or a key both in `unknownProperties`
   *   and at the top level
   */
  constructor(config: AdminClientConfig, options: AdminClientOptions = {}) {
    const properties = adminPropertiesOf(config);
    this.#config = properties;
    this.#b = {
      kafkajs: new KafkaJsBackend(properties, options.logger),
      native: new NativeOffsetsBackend(properties, options.logger),
      kafkaTs: new KafkaTsBackend(properties),
      requestTimeoutMs: numberProperty(properties, 'request.timeout.ms', ADMIN_DEFAULTS.requestTimeoutMs),
    };
  }

  /**
   * Connects the kafkajs backend now rather than on the first operation.
   * @throws KafkaException when no broker answers, or (`_UNSUPPORTED_FEATURE`) the configured SASL mechanism is
   *   one kafkajs does not speak
   */
  async connect(): Promise<void> {
    await this.#b.kafkajs.ready('connect');
  }

  /** Closes every backend connection; later operations reject with `_STATE`. */
  async close(): Promise<void> {
    await Promise.all([this.#b.kafkajs.disconnect(), this.#b.native.close(), this.#b.kafkaTs.close()]);
  }

  /** Creates topics (`validateOnly` to dry-run); per topic. */
  createTopics(topics: readonly NewTopic[], options?: ValidateOnlyOptions): AdminResults<string, void> {
    return topic.createTopics(this.#b, topics, options);
  }

  /** Deletes topics; per topic (`UNKNOWN_TOPIC_OR_PART` for a missing one). */
  deleteTopics(topics: readonly string[], options?: AdminOperationOptions): AdminResults<string, void> {
    return topic.deleteTopics(this.#b, topics, options);
  }

  /** Adds partitions; per topic. */
  createPartitions(partitions: readonly NewPartitions[], options?: ValidateOnlyOptions): AdminResults<string, void> {
    return topic.createPartitions(this.#b, partitions, options);
  }

  /** The cluster and all its topics (confluent_kafka's `list_topics()` metadata). */
  listTopics(options?: AdminOperationOptions): Promise<R.ListTopicsResult> {
    return topic.listTopics(this.#b, options);
  }

  /** Partitions, leaders, replicas and ISRs; per topic. */
  describeTopics(topics: readonly string[], options?: AdminOperationOptions): AdminResults<string, R.TopicDescription> {
    return topic.describeTopics(this.#b, topics, options);
  }

  /** Cluster id, controller and brokers. */
  describeCluster(options?: AdminOperationOptions): Promise<R.ClusterDescription> {
    return topic.describeCluster(this.#b, options);
  }

  /** Config entries by name; per resource. */
  describeConfigs(
    resources: readonly ConfigResource[],
    options?: DescribeConfigsOptions,
  ): AdminResults<ConfigResource, Map<string, ConfigEntry>> {
    return cfg.describeConfigs(this.#b, resources, options);
  }

  /** Replaces each resource's dynamic configs with its `setConfig()` values (deprecated by Kafka); per resource. */
  alterConfigs(resources: readonly ConfigResource[], options?: ValidateOnlyOptions): AdminResults<ConfigResource, void> {
    return cfg.alterConfigs(this.#b, resources, options);
  }

  /** Applies each resource's `addIncrementalConfig()` operations; per resource. Needs kafka-ts. */
  incrementalAlterConfigs(resources: readonly ConfigResource[], options?: ValidateOnlyOptions): AdminResults<ConfigResource, void> {
    return cfg.incrementalAlterConfigs(this.#b, resources, options);
  }

  /** Creates ACLs; per binding. */
  createAcls(acls: readonly AclBinding[], options?: AdminOperationOptions): AdminResults<AclBinding, void> {
    return acl.createAcls(this.#b, acls, options);
  }

  /** The ACLs matching a filter. */
  describeAcls(filter: AclBindingFilter, options?: AdminOperationOptions): Promise<AclBinding[]> {
    return acl.describeAcls(this.#b, filter, options);
  }

  /** Deletes the ACLs matching each filter; per filter, the deleted bindings. */
  deleteAcls(filters: readonly AclBindingFilter[], options?: AdminOperationOptions): AdminResults<AclBindingFilter, AclBinding[]> {
    return acl.deleteAcls(this.#b, filters, options);
  }

  /** Every consumer group (optionally only in some states). */
  listConsumerGroups(options?: ListConsumerGroupsOptions): Promise<R.ListConsumerGroupsResult> {
    return group.listConsumerGroups(this.#b, options);
  }

  /** State, assignor and members; per group. */
  describeConsumerGroups(groupIds: readonly string[], options?: AdminOperationOptions): AdminResults<string, R.ConsumerGroupDescription> {
    return group.describeConsumerGroups(this.#b, groupIds, options);
  }

  /** Deletes groups (which must be empty: `NON_EMPTY_GROUP` otherwise); per group. */
  deleteConsumerGroups(groupIds: readonly string[], options?: AdminOperationOptions): AdminResults<string, void> {
    return group.deleteConsumerGroups(this.#b, groupIds, options);
  }

  /** Committed offsets (OFFSET_INVALID where none); per group id. */
  listConsumerGroupOffsets(
    requests: readonly ConsumerGroupTopicPartitions[],
    options?: AdminOperationOptions,
  ): AdminResults<string, ConsumerGroupTopicPartitions> {
    return group.listConsumerGroupOffsets(this.#b, requests, options);
  }

  /** Commits offsets for groups without members (`UNKNOWN_MEMBER_ID` while active); per group id. */
  alterConsumerGroupOffsets(
    requests: readonly ConsumerGroupTopicPartitions[],
    options?: AdminOperationOptions,
  ): AdminResults<string, ConsumerGroupTopicPartitions> {
    return group.alterConsumerGroupOffsets(this.#b, requests, options);
  }

  /**
   * Commits a group's offsets for another group, which then starts where the first stopped: how a service
   * moves to a new group id without replaying or skipping records (see docs/nest-compatibility.md). Stop the
   * source's consumers first; the target must have no members.
   * @returns the target group's committed offsets
   * @throws KafkaException `_NO_OFFSET` (nothing to copy), `_CONFLICT` (target has offsets, see `overwrite`)
   */
  copyConsumerGroupOffsets(
    fromGroupId: string,
    toGroupId: string,
    options?: CopyConsumerGroupOffsetsOptions,
  ): Promise<ConsumerGroupTopicPartitions> {
    return copyConsumerGroupOffsets(this, fromGroupId, toGroupId, options);
  }

  /** Deletes records before each partition's offset; per partition, the new low watermark. */
  deleteRecords(partitions: readonly TopicPartition[], options?: AdminOperationOptions): AdminResults<TopicPartition, R.DeletedRecords> {
    return offset.deleteRecords(this.#b, partitions, options);
  }

  /** Offsets by OffsetSpec (earliest, latest, maxTimestamp, forTimestamp); per partition. */
  listOffsets(
    specs: ReadonlyMap<TopicPartition, OffsetSpec>,
    options?: ListOffsetsOptions,
  ): AdminResults<TopicPartition, R.ListOffsetsResultInfo> {
    return offset.listOffsets(this.#b, specs, options);
  }

  /**
   * SCRAM credentials: per named user, or (without users) one map of every user that has some. Needs kafka-ts.
   */
  describeUserScramCredentials(
    users: readonly string[],
    options?: AdminOperationOptions,
  ): AdminResults<string, R.UserScramCredentialsDescription>;
  describeUserScramCredentials(users?: null, options?: AdminOperationOptions): Promise<Map<string, R.UserScramCredentialsDescription>>;
  describeUserScramCredentials(
    users?: readonly string[] | null,
    options?: AdminOperationOptions,
  ): AdminResults<string, R.UserScramCredentialsDescription> | Promise<Map<string, R.UserScramCredentialsDescription>> {
    return users ? proto.describeUserScramCredentialsOf(this.#b, users, options) : proto.describeAllUserScramCredentials(this.#b, options);
  }

  /** Upserts or deletes SCRAM credentials; per user. Needs kafka-ts. */
  alterUserScramCredentials(
    alterations: readonly UserScramCredentialAlteration[],
    options?: AdminOperationOptions,
  ): AdminResults<string, void> {
    return proto.alterUserScramCredentials(this.#b, alterations, options);
  }

  /** Elects leaders; each returned TopicPartition's `error` is null or why that election did not happen. Needs kafka-ts. */
  electLeaders(
    electionType: ElectionType,
    partitions: readonly TopicPartition[] | null,
    options?: AdminOperationOptions,
  ): Promise<TopicPartition[]> {
    return proto.electLeaders(this.#b, electionType, partitions, options);
  }
}
