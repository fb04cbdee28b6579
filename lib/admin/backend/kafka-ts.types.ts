/**
 * The part of the `kafka-ts` package the admin client uses, declared here (as Nest vendors kafkajs's types):
 * it is imported on first use only, and nothing in the emitted types refers to it.
 * @internal
 */
export interface KafkaTsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  sendRequest(api: unknown, body: unknown): Promise<unknown>;
  sendRequestToNode(nodeId: number): (api: unknown, body: unknown) => Promise<unknown>;
}

/** @internal */
export interface KafkaTsModule {
  createKafkaClient(options: {
    clientId?: string | null;
    bootstrapServers: { host: string; port: number }[];
    sasl?: unknown;
    ssl?: unknown;
    requestTimeout?: number;
    connectTimeout?: number;
  }): { createCluster(): KafkaTsCluster };
  API: Record<
    | 'INCREMENTAL_ALTER_CONFIGS'
    | 'DESCRIBE_USER_SCRAM_CREDENTIALS'
    | 'ALTER_USER_SCRAM_CREDENTIALS'
    | 'ELECT_LEADERS'
    | 'METADATA'
    | 'FIND_COORDINATOR'
    | 'LIST_GROUPS'
    | 'DESCRIBE_GROUPS'
    | 'CONSUMER_GROUP_DESCRIBE',
    unknown
  >;
  setLogger(logger: {
    debug(m: string, meta?: unknown): void;
    info(m: string, meta?: unknown): void;
    warn(m: string, meta?: unknown): void;
    error(m: string, meta?: unknown): void;
  }): void;
  saslPlain(o: { username: string; password: string }): unknown;
  saslScramSha256(o: { username: string; password: string }): unknown;
  saslScramSha512(o: { username: string; password: string }): unknown;
  oAuthBearer(getToken: () => Promise<{ access_token: string }>): unknown;
}

/** A per-resource answer: an error code and message. @internal */
export interface KafkaTsResult {
  errorCode: number;
  errorMessage: string | null;
}

/** IncrementalAlterConfigs response. @internal */
export interface KafkaTsIncrementalAlterConfigsResponse {
  responses: (KafkaTsResult & { resourceType: number; resourceName: string })[];
}

/** DescribeUserScramCredentials response. @internal */
export interface KafkaTsDescribeScramResponse extends KafkaTsResult {
  results: (KafkaTsResult & { user: string; credentialInfos: { mechanism: number; iterations: number }[] })[];
}

/** AlterUserScramCredentials response. @internal */
export interface KafkaTsAlterScramResponse {
  results: (KafkaTsResult & { user: string })[];
}

/** ElectLeaders response. @internal */
export interface KafkaTsElectLeadersResponse {
  errorCode: number;
  replicaElectionResults: { topic: string; partitionResult: (KafkaTsResult & { partitionId: number })[] }[];
}

/** Metadata response (the brokers part). @internal */
export interface KafkaTsMetadataResponse {
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
}

/** FindCoordinator response (v4+: one entry per key). @internal */
export interface KafkaTsFindCoordinatorResponse {
  coordinators: (KafkaTsResult & { key: string; nodeId: number; host: string; port: number })[];
}

/** ListGroups response (v5: state and type filters, group type). @internal */
export interface KafkaTsListGroupsResponse {
  errorCode: number;
  groups: { groupId: string; protocolType: string; groupState: string; groupType: string }[];
}

/** DescribeGroups response (classic groups). @internal */
export interface KafkaTsDescribeGroupsResponse {
  groups: (KafkaTsResult & {
    groupId: string;
    groupState: string;
    protocolType: string;
    protocolData: string;
    members: { memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; memberAssignment: Buffer }[];
  })[];
}

/** A KIP-848 member's partitions. @internal */
export interface KafkaTsAssignment {
  topicPartitions: { topicName: string; partitions: number[] }[];
}

/** ConsumerGroupDescribe response (KIP-848 groups). @internal */
export interface KafkaTsConsumerGroupDescribeResponse {
  groups: (KafkaTsResult & {
    groupId: string;
    groupState: string;
    assignorName: string;
    members: {
      memberId: string;
      instanceId: string | null;
      clientId: string;
      clientHost: string;
      assignment: KafkaTsAssignment;
      targetAssignment: KafkaTsAssignment;
    }[];
  })[];
}
