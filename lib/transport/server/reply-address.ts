import type { Message } from '../../client/message.js';
import { KafkaHeaders } from '../kafka-headers.enum.js';

/** Kafka's longest topic name (the broker refuses longer ones). @internal */
export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
/** A partition is an int32 on the wire. */
const MAX_PARTITION = 2_147_483_647;
/** Header bytes shown in a log line at most: a hostile header may be megabytes. */
const SHOWN_BYTES = 300;

/** Where a request came from: what every log line about its reply names. @internal */
export interface RequestPlace {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Where the replies of one request go, read from its `kafka_replyTopic` and `kafka_replyPartition` headers.
 * `problem` says why it cannot take a reply (then the handler does not run); `topicUsable` whether an error
 * reply may still go to the topic (a legal name, the partitioner choosing the partition).
 * @internal
 */
export class ReplyAddress {
  /** Set once the final reply, or an error reply in its place, went out: later replies are dropped. */
  ended = false;

  constructor(
    readonly topic: string,
    readonly partition: number | undefined,
    readonly correlationId: string,
    readonly request: RequestPlace,
    /** The headers as they came, quoted and escaped for logs. */
    readonly shownTopic: string,
    readonly shownPartition: string | undefined,
    public problem: string | null = null,
    public topicUsable = problem === null,
  ) {}
}

/**
 * Why `name` is not a legal Kafka topic name, or null when it is: 1 to 249 characters of `[a-zA-Z0-9._-]`,
 * not `.` or `..` (the broker's own rule). A reply to anything else would be refused by the broker, cut short by
 * node-rdkafka (a NUL ends a C string, so the reply would go to another topic) or create a strange topic.
 * @internal
 */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'the topic name is empty';
  if (name.length > MAX_TOPIC_NAME_LENGTH)
    return `the topic name has ${name.length} characters, more than Kafka's ${MAX_TOPIC_NAME_LENGTH}`;
  if (name === '.' || name === '..') return `"${name}" is not a legal topic name`;
  if (!LEGAL_TOPIC_NAME.test(name)) return 'the topic name has characters other than [a-zA-Z0-9._-]';
  return null;
}

/**
 * Reads and checks the reply address of a request from the record's raw header bytes, not the decoded headers:
 * a NUL or a byte that is not UTF-8 must be seen as it came, and a correlation id starting with `{` must not be
 * parsed as JSON (it is echoed back byte for byte).
 * @param raw the request record (it has a correlation id and a reply topic)
 */
export function replyAddressOf(raw: Message): ReplyAddress {
  const idBytes = raw.header(KafkaHeaders.CORRELATION_ID) ?? Buffer.alloc(0);
  const correlationId = idBytes.toString('utf8');
  const topics = headerValues(raw, KafkaHeaders.REPLY_TOPIC);
  const partitions = headerValues(raw, KafkaHeaders.REPLY_PARTITION);
  const topicBytes = topics[0] ?? Buffer.alloc(0);
  // latin1 maps every byte to one character, so any byte outside the legal set fails the name check.
  const topic = topicBytes.toString('latin1');
  const partitionText = partitions[0]?.toString('latin1');
  const request: RequestPlace = { topic: raw.topic, partition: raw.partition, offset: raw.offset };
  const shownPartition = partitions[0] === undefined ? undefined : show(partitions[0]);
  const address = (partition: number | undefined, problem: string | null, topicUsable: boolean): ReplyAddress =>
    new ReplyAddress(topic, partition, correlationId, request, show(topicBytes), shownPartition, problem, topicUsable);
  // node-rdkafka produces header values as UTF-8 C strings: an id it cannot echo exactly matches no request.
  if (!Buffer.from(correlationId, 'utf8').equals(idBytes) || correlationId.includes('\0')) {
    return address(undefined, `the correlation id ${show(idBytes)} is not UTF-8 text without NUL, so no reply could be matched`, false);
  }
  const nameProblem = topics.length > 1 ? `${KafkaHeaders.REPLY_TOPIC} appears ${topics.length} times` : topicNameProblem(topic);
  if (nameProblem) return address(undefined, `illegal reply topic: ${nameProblem}`, false);
  if (partitions.length > 1) return address(undefined, `${KafkaHeaders.REPLY_PARTITION} appears ${partitions.length} times`, true);
  if (partitionText === undefined) return address(undefined, null, true);
  const partition = /^\d{1,10}$/.test(partitionText) ? Number(partitionText) : NaN;
  if (!(partition <= MAX_PARTITION))
    return address(undefined, `illegal reply partition ${shownPartition}: not a non-negative integer`, true);
  return address(partition, null, true);
}

/** The values of a header (null values count as absent, as Nest's client never sends one). */
function headerValues(raw: Message, name: string): Buffer[] {
  const values: Buffer[] = [];
  for (const [k, v] of raw.headers ?? []) if (k === name && v !== null) values.push(v);
  return values;
}

/** Header bytes for a log line: JSON-quoted (a NUL shows as \u0000), cut at SHOWN_BYTES. */
function show(bytes: Buffer): string {
  const text = JSON.stringify(bytes.subarray(0, SHOWN_BYTES).toString('utf8'));
  return bytes.length > SHOWN_BYTES ? `${text}… (${bytes.length} bytes)` : text;
}
