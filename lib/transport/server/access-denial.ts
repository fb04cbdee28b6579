import type { TopicPartition } from '../../client/topic-partition.js';
import { ErrorCode, type KafkaError } from '../../errors/index.js';

/** What the server was refused, and the line that says so. @internal */
export interface AccessDenial {
  readonly kind: 'topic' | 'group';
  readonly message: string;
}

/** What the consume loop knows when librdkafka reports a refusal. @internal */
export interface AccessContext {
  /** The record's topic; librdkafka leaves it empty for subscription errors. */
  readonly topic: string;
  readonly group: string;
  readonly subscribed: readonly (string | RegExp)[];
  readonly assignment: readonly TopicPartition[];
}

const name = (t: string | RegExp): string => (t instanceof RegExp ? String(t) : t);

/**
 * The topics a refusal is about. librdkafka reports a subscription refusal once, without a topic (node-rdkafka
 * drops the text that named it): a topic the principal may not even describe gets no partitions, so the
 * subscribed topics without any are the ones; with DESCRIBE but no READ all are assigned, and all are named.
 */
function refusedTopics(c: AccessContext): string[] {
  if (c.topic) return [c.topic];
  const assigned = new Set(c.assignment.map((tp) => tp.topic));
  const missing = c.subscribed.filter((t) => typeof t === 'string' && !assigned.has(t)).map(name);
  return missing.length > 0 ? missing : c.subscribed.map(name);
}

/**
 * Reads an ACL refusal in a consumer error: `TOPIC_AUTHORIZATION_FAILED` (no READ/DESCRIBE on a topic) or
 * `GROUP_AUTHORIZATION_FAILED` (no READ on the group).
 * @returns the denial, with a message naming the group, the topics, the code and what would fix it; null for other errors
 * @internal
 */
export function accessDenial(error: KafkaError, c: AccessContext): AccessDenial | null {
  const code = `${error.name} (${error.str()})`;
  if (error.code === ErrorCode.TOPIC_AUTHORIZATION_FAILED) {
    const topics = refusedTopics(c).join(', ');
    return {
      kind: 'topic',
      message: `Not authorized to read topic ${topics} (consumer group "${c.group}"): ${code}. Nothing is consumed from it until an ACL grants this principal READ and DESCRIBE on it.`,
    };
  }
  if (error.code === ErrorCode.GROUP_AUTHORIZATION_FAILED) {
    const topics = c.subscribed.map(name).join(', ');
    return {
      kind: 'group',
      message: `Not authorized to use consumer group "${c.group}" (topics ${topics}): ${code}. Nothing is consumed until an ACL grants this principal READ on the group.`,
    };
  }
  return null;
}
