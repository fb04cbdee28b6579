import { assertAssignment } from './new-topic.js';

/**
 * A partition-count increase (confluent_kafka `NewPartitions(topic, new_total_count, replica_assignment=None)`).
 * @publicApi
 */
export class NewPartitions {
  readonly topic: string;
  readonly newTotalCount: number;
  /** Broker ids for each *new* partition, in order. */
  readonly replicaAssignment: readonly (readonly number[])[] | null;

  /**
   * @param topic an existing topic
   * @param newTotalCount the partition count after the change
   * @param replicaAssignment broker ids for each added partition
   * @throws TypeError on a bad count or assignment
   */
  constructor(topic: string, newTotalCount: number, replicaAssignment: number[][] | null = null) {
    if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('NewPartitions: topic must be a non-empty string');
    if (!Number.isInteger(newTotalCount) || newTotalCount < 1) {
      throw new TypeError(`NewPartitions(${topic}): newTotalCount must be a positive integer, got ${String(newTotalCount)}`);
    }
    if (replicaAssignment !== null) assertAssignment(replicaAssignment, `NewPartitions(${topic}): replicaAssignment`);
    this.topic = topic;
    this.newTotalCount = newTotalCount;
    this.replicaAssignment = replicaAssignment ? replicaAssignment.map((r) => Object.freeze([...r])) : null;
  }
}
