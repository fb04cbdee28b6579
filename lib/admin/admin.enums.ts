/**
 * The enumerations of confluent_kafka's admin API. Values are the Kafka protocol's numbers (which are also
 * librdkafka's), so they travel to any backend unchanged.
 */

/** Kind of resource an ACL or a config names (confluent_kafka `ResourceType`). @publicApi */
export const ResourceType = Object.freeze({
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  /** The cluster for ACLs (protocol `CLUSTER`), a broker id for configs. */
  BROKER: 4,
  TRANSACTIONAL_ID: 5,
});
export type ResourceType = (typeof ResourceType)[keyof typeof ResourceType];

/** How an ACL's resource name matches (confluent_kafka `ResourcePatternType`). @publicApi */
export const ResourcePatternType = Object.freeze({ UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 });
export type ResourcePatternType = (typeof ResourcePatternType)[keyof typeof ResourcePatternType];

/** The operation an ACL allows or denies (confluent_kafka `AclOperation`). @publicApi */
export const AclOperation = Object.freeze({
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
});
export type AclOperation = (typeof AclOperation)[keyof typeof AclOperation];

/** Whether an ACL allows or denies (confluent_kafka `AclPermissionType`). @publicApi */
export const AclPermissionType = Object.freeze({ UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 });
export type AclPermissionType = (typeof AclPermissionType)[keyof typeof AclPermissionType];

/** Where a config value comes from (confluent_kafka `ConfigSource`). @publicApi */
export const ConfigSource = Object.freeze({
  UNKNOWN_CONFIG: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
});
export type ConfigSource = (typeof ConfigSource)[keyof typeof ConfigSource];

/** What an incremental config alteration does (confluent_kafka `AlterConfigOpType`). @publicApi */
export const AlterConfigOpType = Object.freeze({ SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 });
export type AlterConfigOpType = (typeof AlterConfigOpType)[keyof typeof AlterConfigOpType];

/**
 * A consumer group's state (confluent_kafka `ConsumerGroupState` names). String values, so a result
 * serialized to JSON says `"state": "STABLE"`, not a bare number. `ASSIGNING` and `RECONCILING` are the
 * KIP-848 (`group.protocol=consumer`) states, which librdkafka 2.12 reports as UNKNOWN.
 * @publicApi
 */
export const ConsumerGroupState = Object.freeze({
  UNKNOWN: 'UNKNOWN',
  PREPARING_REBALANCING: 'PREPARING_REBALANCING',
  COMPLETING_REBALANCING: 'COMPLETING_REBALANCING',
  STABLE: 'STABLE',
  DEAD: 'DEAD',
  EMPTY: 'EMPTY',
  ASSIGNING: 'ASSIGNING',
  RECONCILING: 'RECONCILING',
});
export type ConsumerGroupState = (typeof ConsumerGroupState)[keyof typeof ConsumerGroupState];

/**
 * Which rebalance protocol a group runs (confluent_kafka `ConsumerGroupType`): `CONSUMER` is KIP-848's
 * (`group.protocol=consumer`), `CLASSIC` the JoinGroup/SyncGroup one.
 * @publicApi
 */
export const ConsumerGroupType = Object.freeze({ UNKNOWN: 'UNKNOWN', CONSUMER: 'CONSUMER', CLASSIC: 'CLASSIC' });
export type ConsumerGroupType = (typeof ConsumerGroupType)[keyof typeof ConsumerGroupType];

/** Which records an offset query sees (confluent_kafka `IsolationLevel`). @publicApi */
export const IsolationLevel = Object.freeze({ READ_UNCOMMITTED: 0, READ_COMMITTED: 1 });
export type IsolationLevel = (typeof IsolationLevel)[keyof typeof IsolationLevel];

/** Leader election kind (confluent_kafka `ElectionType`). @publicApi */
export const ElectionType = Object.freeze({ PREFERRED: 0, UNCLEAN: 1 });
export type ElectionType = (typeof ElectionType)[keyof typeof ElectionType];

/** SCRAM hash (confluent_kafka `ScramMechanism`). @publicApi */
export const ScramMechanism = Object.freeze({ UNKNOWN: 0, SCRAM_SHA_256: 1, SCRAM_SHA_512: 2 });
export type ScramMechanism = (typeof ScramMechanism)[keyof typeof ScramMechanism];

/** The name of an enum value (`nameOf(AclOperation, 3)` is `READ`), or `UNKNOWN(<n>)`. @internal */
export function enumName(values: Readonly<Record<string, number>>, value: number): string {
  return Object.keys(values).find((k) => values[k] === value) ?? `UNKNOWN(${value})`;
}

/** Throws a TypeError unless `value` is one of the enum's values. @internal */
export function assertEnum(values: Readonly<Record<string, number | string>>, value: unknown, what: string): void {
  if ((typeof value !== 'number' && typeof value !== 'string') || !Object.values(values).includes(value)) {
    throw new TypeError(
      `${what} must be one of ${Object.entries(values)
        .map(([k, v]) => `${k}(${v})`)
        .join(', ')}, got ${String(value)}`,
    );
  }
}
