/**
 * The states `ServerRdKafka` and `ClientRdKafka` report through `status`, the same strings as Nest's
 * `KafkaStatus`, so health checks and code written against Nest's Kafka transport keep working.
 * @publicApi
 */
export const RdKafkaStatus = Object.freeze({
  CONNECTED: 'connected',
  DISCONNECTED: 'disconnected',
  /** The consumer group is rebalancing (partitions revoked, not yet reassigned). */
  REBALANCING: 'rebalancing',
  /** `close()` finished: fetching stopped, handlers drained, offsets committed. */
  STOPPED: 'stopped',
  /** A fatal error stopped the transport (e.g. a fatal librdkafka error or a failing consume loop). */
  CRASHED: 'crashed',
  /**
   * The broker refused the server's principal a topic or its consumer group (`TOPIC_AUTHORIZATION_FAILED`,
   * `GROUP_AUTHORIZATION_FAILED`): it runs, but nothing is consumed from what was refused. Not `crashed`
   * because nothing stopped: other topics are still served, and once an ACL allows it records flow and the
   * status is `connected` again. Not among Nest's `KafkaStatus` values (Nest's kafkajs consumer crashes instead).
   */
  UNAUTHORIZED: 'unauthorized',
} as const);
/** @publicApi */
export type RdKafkaStatus = (typeof RdKafkaStatus)[keyof typeof RdKafkaStatus];
