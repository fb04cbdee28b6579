/** Options of a NewTopic besides its name. */
export interface NewTopicInit {
  /** Number of partitions; -1 takes the broker's `num.partitions`. @default -1 */
  numPartitions?: number;
  /** Replication factor; -1 takes the broker's `default.replication.factor`. @default -1 */
  replicationFactor?: number;
  /** Broker ids per partition (index = partition); excludes numPartitions/replicationFactor. */
  replicaAssignment?: number[][] | null;
  /** Topic configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  config?: Record<string, string> | null;
}

/**
 * A topic to create (confluent_kafka `NewTopic(topic, num_partitions=-1, replication_factor=-1,
 * replica_assignment=None, config=None)`).
 * @publicApi
 */
export class NewTopic {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly replicaAssignment: readonly (readonly number[])[] | null;
  readonly config: Readonly<Record<string, string>>;

  /**
   * @param topic the topic's name
   * @param init partitions, replication, assignment and configs
   * @throws TypeError when a field has the wrong type, or an assignment is combined with counts
   */
  constructor(topic: string, init: NewTopicInit = {}) {
    if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('NewTopic: topic must be a non-empty string');
    const { numPartitions = -1, replicationFactor = -1, replicaAssignment = null, config = null } = init;
    if (!Number.isInteger(numPartitions) || (numPartitions < 1 && numPartitions !== -1)) {
      throw new TypeError(`NewTopic(${topic}): numPartitions must be a positive integer or -1, got ${String(numPartitions)}`);
    }
    if (!Number.isInteger(replicationFactor) || (replicationFactor < 1 && replicationFactor !== -1)) {
      throw new TypeError(`NewTopic(${topic}): replicationFactor must be a positive integer or -1, got ${String(replicationFactor)}`);
    }
    if (replicaAssignment !== null) {
      assertAssignment(replicaAssignment, `NewTopic(${topic}): replicaAssignment`);
      if (replicationFactor !== -1) throw new TypeError(`NewTopic(${topic}): replicaAssignment excludes replicationFactor`);
      if (numPartitions !== -1 && numPartitions !== replicaAssignment.length) {
        throw new TypeError(
          `NewTopic(${topic}): numPartitions (${numPartitions}) differs from replicaAssignment's length (${replicaAssignment.length})`,
        );
      }
    }
    this.topic = topic;
    this.numPartitions = replicaAssignment ? replicaAssignment.length : numPartitions;
    this.replicationFactor = replicationFactor;
    this.replicaAssignment = replicaAssignment ? replicaAssignment.map((r) => Object.freeze([...r])) : null;
    this.config = Object.freeze(stringMap(config ?? {}, `NewTopic(${topic}): config`));
  }
}

/** Checks a replica assignment: a non-empty list of non-empty lists of broker ids. @internal */
export function assertAssignment(value: unknown, what: string): asserts value is number[][] {
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((r) => Array.isArray(r) && r.length > 0 && r.every((id) => Number.isInteger(id) && id >= 0));
  if (!ok) throw new TypeError(`${what} must be a non-empty array of non-empty broker id arrays`);
}

/** A copy of a config map whose values must all be strings. @internal */
export function stringMap(value: unknown, what: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${what} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new TypeError(`${what}: value of "${k}" must be a string, got ${typeof v}`);
    out[k] = v;
  }
  return out;
}
