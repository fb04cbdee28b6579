/**
 * The part of the optional `kafka-ts` package the admin client uses, declared here (as Nest vendors kafkajs's
 * types) so the package stays optional: nothing in the emitted types refers to it.
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
  API: Record<'INCREMENTAL_ALTER_CONFIGS' | 'DESCRIBE_USER_SCRAM_CREDENTIALS' | 'ALTER_USER_SCRAM_CREDENTIALS' | 'ELECT_LEADERS', unknown>;
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
