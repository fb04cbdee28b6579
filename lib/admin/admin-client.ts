import type { TopicPartition } from '../client/topic-partition.js';
import { ADMIN_DEFAULTS } from './admin.constants.js';
import type { ElectionType } from './admin.enums.js';
import type {
  AdminClientConfig,
  AdminClientOptions,
  AdminOperationOptions,
  AdminProperties,
  CopyConsumerGroupOffsetsOptions,
  DescribeConfigsOptions,
  ListConsumerGroupsOptions,
  ListOffsetsOptions,
  ValidateOnlyOptions,
} from './admin-options.interface.js';
import type { AdminResults } from './admin-results.util.js';
import { adminPropertiesOf, nativeAdminConfigOf } from './admin-properties.js';
import { redactConfig, redactWhenPrinted } from '../security/index.js';
import { KafkaException } from '../errors/index.js';
import { adminRejection, fromAdminError } from './admin-error.mapper.js';
import { numberProperty } from './backend/admin-connection.js';
import { AdminLifecycle } from './backend/admin-lifecycle.js';
import { outageOrTimeout } from './backend/broker-probe.js';
import { KafkaJsBackend } from './backend/kafkajs.backend.js';
import { KafkaTsBackend } from './backend/kafka-ts.backend.js';
import { NativeOffsetsBackend } from './backend/native-offsets.backend.js';
import { NativeTopicAdmin } from './backend/native-topics.backend.js';
import * as acl from './ops/acl.ops.js';
import type { AdminBackends } from './ops/admin-backends.js';
import * as cfg from './ops/config.ops.js';
import * as group from './ops/group.ops.js';
import * as groupCopy from './ops/group-copy.ops.js';
import * as groupDescribe from './ops/group-describe.ops.js';
import { replayDeadLettersOn, type ReplayDeadLettersOptions, type ReplayReport } from './ops/dead-letter-replay.ops.js';
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
 * Backends: librdkafka serves the topic calls, listOffsets and alterConsumerGroupOffsets; kafka-ts serves
 * incrementalAlterConfigs, the SCRAM calls, electLeaders and the group listing and descriptions (KIP-848);
 * kafkajs serves the rest. kafkajs and kafka-ts are loaded on first use. See lib/admin/README.md for the table. Connections open on first use; `close()` releases them.
 * @publicApi
 */
export class AdminClient {
  readonly #b: AdminBackends;
  readonly #config: AdminProperties;
  readonly #lifecycle = new AdminLifecycle();
  readonly #logger: AdminClientOptions['logger'];
  #closing: Promise<void> | undefined;

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
    this.#logger = options.logger;
    const life = this.#lifecycle;
    const native = nativeAdminConfigOf(properties);
    this.#b = {
      kafkajs: new KafkaJsBackend(properties, options.logger, life),
      native: new NativeOffsetsBackend(properties, options.logger, life),
      topics: new NativeTopicAdmin(native.plain, native.oauth, (e) => options.logger?.error(`admin token refresh: ${e.toString()}`), life),
      kafkaTs: new KafkaTsBackend(properties, options.logger, life),
      lifecycle: life,
      requestTimeoutMs: numberProperty(properties, 'request.timeout.ms', ADMIN_DEFAULTS.requestTimeoutMs),
    };
  }

  /**
   * Connects the kafkajs backend now rather than on the first operation.
   * @throws KafkaException when no broker answers, or (`_UNSUPPORTED_FEATURE`) the configured SASL mechanism is
   *   one kafkajs does not speak
   */
  async connect(): Promise<void> {
    try {
      await this.#b.kafkajs.ready('connect');
    } catch (e) {
      throw adminRejection(e);
    }
  }

  /**
   * Closes every backend connection. From the call on, every operation on every backend rejects at once with
   * `KafkaException(_STATE)` "… the admin client is closed", and nothing reconnects. Idempotent (later calls
   * return the first call's promise), and never rejects: a backend that fails to disconnect is logged.
   */
  close(): Promise<void> {
    this.#lifecycle.close();
    this.#closing ??= Promise.all(
      [this.#b.kafkajs.disconnect(), this.#b.native.close(), this.#b.topics.close(), this.#b.kafkaTs.close()].map((p) =>
        p.catch((e: unknown) => this.#logger?.warn(`admin close: ${fromAdminError(e).message}`)),
      ),
    ).then(() => undefined);
    return this.#closing;
  }

  /**
   * One rule for an outage on every backend: a `_TIMED_OUT` (librdkafka retries a dead bootstrap list until
   * the timeout; the call's own timer may fire first) while no bootstrap server accepts a TCP connection
   * becomes `_TRANSPORT`, as the JavaScript backends' refused connections are.
   */
  #classify<R>(result: R, operation: string): R {
    const one = <T>(p: Promise<T>): Promise<T> => {
      const mapped = p.catch(async (e: unknown) => {
        const failure = adminRejection(e);
        throw failure instanceof KafkaException ? await outageOrTimeout(failure, this.#config, operation) : failure;
      });
      mapped.catch(() => undefined);
      return mapped;
    };
    if (result instanceof Promise) return one(result) as R;
    if (result instanceof Map) for (const [key, p] of result) result.set(key, one(p as Promise<unknown>));
    return result;
  }

  /** Creates topics (`validateOnly` to dry-run); per topic. */
  createTopics(topics: readonly NewTopic[], options?: ValidateOnlyOptions): AdminResults<string, void> {
    return this.#classify(topic.createTopics(this.#b, topics, options), 'createTopics');
  }

  /** Deletes topics; per topic (`UNKNOWN_TOPIC_OR_PART` for a missing one). */
  deleteTopics(topics: readonly string[], options?: AdminOperationOptions): AdminResults<string, void> {
    return this.#classify(topic.deleteTopics(this.#b, topics, options), 'deleteTopics');
  }

  /** Adds partitions; per topic. */
  createPartitions(partitions: readonly NewPartitions[], options?: ValidateOnlyOptions): AdminResults<string, void> {
    return this.#classify(topic.createPartitions(this.#b, partitions, options), 'createPartitions');
  }

  /** The cluster and all its topics (confluent_kafka's `list_topics()` metadata). */
  listTopics(options?: AdminOperationOptions): Promise<R.ListTopicsResult> {
    return this.#classify(topic.listTopics(this.#b, options), 'listTopics');
  }

  /** Partitions, leaders, replicas and ISRs; per topic. */
  describeTopics(topics: readonly string[], options?: AdminOperationOptions): AdminResults<string, R.TopicDescription> {
    return this.#classify(topic.describeTopics(this.#b, topics, options), 'describeTopics');
  }

  /** Cluster id, controller and brokers. */
  describeCluster(options?: AdminOperationOptions): Promise<R.ClusterDescription> {
    return this.#classify(topic.describeCluster(this.#b, options), 'describeCluster');
  }

  /** Config entries by name; per resource. */
  describeConfigs(
    resources: readonly ConfigResource[],
    options?: DescribeConfigsOptions,
  ): AdminResults<ConfigResource, Map<string, ConfigEntry>> {
    return this.#classify(cfg.describeConfigs(this.#b, resources, options), 'describeConfigs');
  }

  /** Replaces each resource's dynamic configs with its `setConfig()` values (deprecated by Kafka); per resource. */
  alterConfigs(resources: readonly ConfigResource[], options?: ValidateOnlyOptions): AdminResults<ConfigResource, void> {
    return this.#classify(cfg.alterConfigs(this.#b, resources, options), 'alterConfigs');
  }

  /** Applies each resource's `addIncrementalConfig()` operations; per resource. Needs kafka-ts. */
  incrementalAlterConfigs(resources: readonly ConfigResource[], options?: ValidateOnlyOptions): AdminResults<ConfigResource, void> {
    return this.#classify(cfg.incrementalAlterConfigs(this.#b, resources, options), 'incrementalAlterConfigs');
  }

  /** Creates ACLs; per binding. */
  createAcls(acls: readonly AclBinding[], options?: AdminOperationOptions): AdminResults<AclBinding, void> {
    return this.#classify(acl.createAcls(this.#b, acls, options), 'createAcls');
  }

  /** The ACLs matching a filter. */
  describeAcls(filter: AclBindingFilter, options?: AdminOperationOptions): Promise<AclBinding[]> {
    return this.#classify(acl.describeAcls(this.#b, filter, options), 'describeAcls');
  }

  /** Deletes the ACLs matching each filter; per filter, the deleted bindings. */
  deleteAcls(filters: readonly AclBindingFilter[], options?: AdminOperationOptions): AdminResults<AclBindingFilter, AclBinding[]> {
    return this.#classify(acl.deleteAcls(this.#b, filters, options), 'deleteAcls');
  }

  /**
   * Every consumer group with its state and type (`CLASSIC`, or `CONSUMER` for KIP-848 groups), optionally only
   * some states (`states`) or types (`types`, confluent_kafka's type filter).
   */
  listConsumerGroups(options?: ListConsumerGroupsOptions): Promise<R.ListConsumerGroupsResult> {
    return this.#classify(groupDescribe.listConsumerGroups(this.#b, options), 'listConsumerGroups');
  }

  /**
   * Type, state, assignor, coordinator and members with their partitions (KIP-848 and classic groups); per
   * group. A group the broker does not know rejects with `GROUP_ID_NOT_FOUND` (Kafka 4's DescribeGroups v6).
   */
  describeConsumerGroups(groupIds: readonly string[], options?: AdminOperationOptions): AdminResults<string, R.ConsumerGroupDescription> {
    return this.#classify(groupDescribe.describeConsumerGroups(this.#b, groupIds, options), 'describeConsumerGroups');
  }

  /**
   * Every group, or only `groupId`, with its members (confluent_kafka's deprecated `list_groups`; prefer
   * listConsumerGroups + describeConsumerGroups).
   */
  listGroups(groupId?: string, options?: AdminOperationOptions): Promise<R.GroupMetadata[]> {
    return this.#classify(groupDescribe.listGroups(this.#b, groupId, options), 'listGroups');
  }

  /**
   * Copies `fromGroup`'s committed offsets (all topics, or `topics`) to `toGroup`: a service moving to a new
   * group id resumes exactly where the old one stopped (see docs/nest-compatibility.md). Stop the source's
   * consumers first. The target must have no members (`NON_EMPTY_GROUP`) and, unless `overwrite`, no offsets of
   * its own for those partitions (`_CONFLICT`); a group the broker does not know is a fresh target.
   * `_NO_OFFSET` when the source has no committed offset to copy. Nothing is committed when it rejects so.
   * @returns the target group's new offsets
   * @throws TypeError at once for an empty or identical group id, or an empty `topics`
   */
  copyConsumerGroupOffsets(
    fromGroup: string,
    toGroup: string,
    options?: CopyConsumerGroupOffsetsOptions,
  ): Promise<ConsumerGroupTopicPartitions> {
    return this.#classify(
      groupCopy.copyConsumerGroupOffsets(this, fromGroup, toGroup, options, this.#b.requestTimeoutMs),
      'copyConsumerGroupOffsets',
    );
  }

  /**
   * Writes the records of a dead-letter topic back to their original topic and partition (the
   * `rdkafka-original-*` headers), key, value and original headers as they were; `filter` picks records, `to`
   * redirects them. Progress is committed in a consumer group (`groupId`), so runs go on where the last ended;
   * a record that cannot be written back stops its partition's run there, uncommitted, and is listed in the report.
   * Runs a consumer and a producer on this client's connection properties for the duration of the call.
   * @throws (rejects) TypeError for an empty topic; KafkaException when the topic cannot be described or read
   */
  replayDeadLetters(topic: string, options?: ReplayDeadLettersOptions): Promise<ReplayReport> {
    const partitionsOf = async (t: string) => (await this.describeTopics([t]).get(t)!).partitions.length;
    return this.#classify(replayDeadLettersOn(this.#config, partitionsOf, topic, options), 'replayDeadLetters');
  }

  /** Deletes groups (which must be empty: `NON_EMPTY_GROUP` otherwise); per group. */
  deleteConsumerGroups(groupIds: readonly string[], options?: AdminOperationOptions): AdminResults<string, void> {
    return this.#classify(group.deleteConsumerGroups(this.#b, groupIds, options), 'deleteConsumerGroups');
  }

  /** Committed offsets (OFFSET_INVALID where none); per group id. */
  listConsumerGroupOffsets(
    requests: readonly ConsumerGroupTopicPartitions[],
    options?: AdminOperationOptions,
  ): AdminResults<string, ConsumerGroupTopicPartitions> {
    return this.#classify(group.listConsumerGroupOffsets(this.#b, requests, options), 'listConsumerGroupOffsets');
  }

  /** Commits offsets for groups without members (`UNKNOWN_MEMBER_ID` while active); per group id. */
  alterConsumerGroupOffsets(
    requests: readonly ConsumerGroupTopicPartitions[],
    options?: AdminOperationOptions,
  ): AdminResults<string, ConsumerGroupTopicPartitions> {
    return this.#classify(group.alterConsumerGroupOffsets(this.#b, requests, options), 'alterConsumerGroupOffsets');
  }

  /** Deletes records before each partition's offset; per partition, the new low watermark. */
  deleteRecords(partitions: readonly TopicPartition[], options?: AdminOperationOptions): AdminResults<TopicPartition, R.DeletedRecords> {
    return this.#classify(offset.deleteRecords(this.#b, partitions, options), 'deleteRecords');
  }

  /** Offsets by OffsetSpec (earliest, latest, maxTimestamp, forTimestamp); per partition. */
  listOffsets(
    specs: ReadonlyMap<TopicPartition, OffsetSpec>,
    options?: ListOffsetsOptions,
  ): AdminResults<TopicPartition, R.ListOffsetsResultInfo> {
    return this.#classify(offset.listOffsets(this.#b, specs, options), 'listOffsets');
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
    return this.#classify(
      users ? proto.describeUserScramCredentialsOf(this.#b, users, options) : proto.describeAllUserScramCredentials(this.#b, options),
      'describeUserScramCredentials',
    );
  }

  /** Upserts or deletes SCRAM credentials; per user. Needs kafka-ts. */
  alterUserScramCredentials(
    alterations: readonly UserScramCredentialAlteration[],
    options?: AdminOperationOptions,
  ): AdminResults<string, void> {
    return this.#classify(proto.alterUserScramCredentials(this.#b, alterations, options), 'alterUserScramCredentials');
  }

  /** Elects leaders; each returned TopicPartition's `error` is null or why that election did not happen. Needs kafka-ts. */
  electLeaders(
    electionType: ElectionType,
    partitions: readonly TopicPartition[] | null,
    options?: AdminOperationOptions,
  ): Promise<TopicPartition[]> {
    return this.#classify(proto.electLeaders(this.#b, electionType, partitions, options), 'electLeaders');
  }
}
