import type { KafkaError } from '../../errors/index.js';
import type { TopicPartition } from '../../client/topic-partition.js';
import type { ConsumerGroupState, ConsumerGroupType, ScramMechanism } from '../admin.enums.js';
import type { ScramCredentialInfo } from './user-scram-credential-alteration.js';

/** A broker (confluent_kafka `Node`). */
export interface Node {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  /** null when the broker has none or the backend does not report it. */
  readonly rack: string | null;
}

/** One partition of a described topic (confluent_kafka `TopicPartitionInfo`). */
export interface TopicPartitionInfo {
  readonly id: number;
  /** null while the partition has no leader. */
  readonly leader: number | null;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** A partition-level error from the metadata, if any. */
  readonly error: KafkaError | null;
}

/** A topic's description (confluent_kafka `TopicDescription`). */
export interface TopicDescription {
  readonly name: string;
  readonly partitions: readonly TopicPartitionInfo[];
}

/** The cluster (confluent_kafka `DescribeClusterResult`). */
export interface ClusterDescription {
  readonly clusterId: string | null;
  readonly controller: Node | null;
  readonly nodes: readonly Node[];
}

/**
 * What listTopics returns (confluent_kafka's `ClusterMetadata`, with topics by name). `topics` is a Map whose
 * JSON form is an object by topic name (`JSON.stringify` of a plain Map gives `{}`).
 */
export interface ListTopicsResult extends ClusterDescription {
  readonly topics: ReadonlyMap<string, TopicDescription>;
}

/** One listed group (confluent_kafka `ConsumerGroupListing`). */
export interface ConsumerGroupListing {
  readonly groupId: string;
  /** A group with no protocol type: offsets committed without joining. */
  readonly isSimpleConsumerGroup: boolean;
  readonly state: ConsumerGroupState;
  /** `CONSUMER` for a KIP-848 group (`group.protocol=consumer`), `CLASSIC` otherwise. */
  readonly type: ConsumerGroupType;
  /** The protocol type the group's members use (`consumer`, `connect`, … or '' for simple groups). */
  readonly protocolType: string;
}

/** listConsumerGroups' result (confluent_kafka `ListConsumerGroupsResult`). */
export interface ListConsumerGroupsResult {
  readonly valid: readonly ConsumerGroupListing[];
  /** Brokers that could not be asked. */
  readonly errors: readonly KafkaError[];
}

/** A member of a described group (confluent_kafka `MemberDescription`). */
export interface MemberDescription {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  /** The partitions assigned to it (decoded from the consumer protocol; empty for other protocols). */
  readonly assignment: readonly TopicPartition[];
  /** KIP-848 groups: the partitions the coordinator is moving it to (null for classic groups). */
  readonly targetAssignment: readonly TopicPartition[] | null;
  readonly groupInstanceId: string | null;
}

/** A described group (confluent_kafka `ConsumerGroupDescription`). */
export interface ConsumerGroupDescription {
  readonly groupId: string;
  readonly isSimpleConsumerGroup: boolean;
  readonly members: readonly MemberDescription[];
  /** The assignor chosen for the group (`range`, `cooperative-sticky`; the broker's `uniform`/`range` for KIP-848). */
  readonly partitionAssignor: string;
  readonly state: ConsumerGroupState;
  /** `CONSUMER` for a KIP-848 group, `CLASSIC` otherwise. */
  readonly type: ConsumerGroupType;
  /** The broker coordinating the group. */
  readonly coordinator: Node | null;
}

/** A member in `listGroups`' answer (confluent_kafka's deprecated `GroupMember`). */
export interface GroupMember {
  readonly id: string;
  readonly clientId: string;
  readonly clientHost: string;
  /** The partitions assigned to it. */
  readonly assignment: readonly TopicPartition[];
}

/** One group in `listGroups`' answer (confluent_kafka's deprecated `GroupMetadata`). */
export interface GroupMetadata {
  readonly id: string;
  /** The broker coordinating it. */
  readonly broker: Node | null;
  readonly state: ConsumerGroupState;
  readonly type: ConsumerGroupType;
  readonly protocolType: string;
  /** The assignor (`range`, `uniform`, …). */
  readonly protocol: string;
  readonly members: readonly GroupMember[];
}

/** One partition's answer to listOffsets (confluent_kafka `ListOffsetsResultInfo`). */
export interface ListOffsetsResultInfo {
  readonly offset: number;
  /** The record's timestamp; -1 when the backend does not report it (see the backend table). */
  readonly timestamp: number;
  readonly leaderEpoch: number | null;
}

/** deleteRecords' result for a partition (confluent_kafka `DeletedRecords`). */
export interface DeletedRecords {
  /** The partition's low watermark after the deletion. */
  readonly lowWatermark: number;
}

/** A user's SCRAM credentials (confluent_kafka `UserScramCredentialsDescription`). */
export interface UserScramCredentialsDescription {
  readonly user: string;
  readonly scramCredentialInfos: readonly ScramCredentialInfo[];
}

export type { ScramMechanism };
