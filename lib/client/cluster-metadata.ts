import { ErrorCode, KafkaError } from '../errors/index.js';

/** @publicApi */
export interface BrokerMetadata {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

/** @publicApi */
export interface PartitionMetadata {
  readonly id: number;
  /** Leader broker id, -1 when there is none. */
  readonly leader: number;
  readonly replicas: number[];
  readonly isrs: number[];
  readonly error: KafkaError | null;
}

/** @publicApi */
export interface TopicMetadata {
  readonly topic: string;
  readonly partitions: Map<number, PartitionMetadata>;
  /** `UNKNOWN_TOPIC_OR_PART` when the cluster does not have the topic. */
  readonly error: KafkaError | null;
}

/**
 * What `listTopics()` returns (confluent_kafka's `ClusterMetadata`). node-rdkafka does not pass the cluster id
 * or the controller id on, so those are absent here; `AdminClient.describeCluster()` has them.
 * @publicApi
 */
export interface ClusterMetadata {
  readonly brokers: Map<number, BrokerMetadata>;
  readonly topics: Map<string, TopicMetadata>;
  /** The broker that answered. */
  readonly origBrokerId: number;
  readonly origBrokerName: string;
}

/** The shape node-rdkafka's getMetadata() returns (the fakes return it; not exported by the package). */
export interface NativeMetadata {
  orig_broker_id: number;
  orig_broker_name: string;
  brokers: { id: number; host: string; port: number }[];
  topics: { name: string; partitions: { id: number; leader: number; replicas: number[]; isrs: number[] }[] }[];
}

/** @internal */
export function toClusterMetadata(m: NativeMetadata): ClusterMetadata {
  const topics = new Map<string, TopicMetadata>();
  for (const t of m.topics) {
    const partitions = new Map<number, PartitionMetadata>(
      t.partitions.map((p) => [
        p.id,
        {
          id: p.id,
          leader: p.leader,
          replicas: p.replicas,
          isrs: p.isrs,
          error: p.leader < 0 ? new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE) : null,
        },
      ]),
    );
    // node-rdkafka drops per-topic errors; a topic the cluster has always has at least one partition.
    topics.set(t.name, {
      topic: t.name,
      partitions,
      error: partitions.size === 0 ? new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PART) : null,
    });
  }
  return {
    brokers: new Map(m.brokers.map((b) => [b.id, { id: b.id, host: b.host, port: b.port }])),
    topics,
    origBrokerId: m.orig_broker_id,
    origBrokerName: m.orig_broker_name,
  };
}
