import type { Attributes } from '@opentelemetry/api';
import { MESSAGING_SYSTEM_KAFKA, MessagingAttr as A } from './messaging-attributes.js';

/** What a send span reads of a record about to be produced (node-rdkafka's produce arguments). @internal */
export interface OutgoingRecordView {
  key: Buffer | null;
  value: Buffer | null;
  /** null: the partitioner chooses. */
  partition: number | null;
  headers: Array<Record<string, string>> | undefined;
}

/** What a process span reads of a consumed record. @internal */
export interface ConsumedRecordView {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<readonly [string, Buffer | null]> | null;
}

/**
 * The key as text, as the conventions ask ("its string representation"): UTF-8 for a key that is UTF-8, else
 * its bytes in hex, so a binary key never shows replacement characters.
 */
function keyText(key: Buffer): string {
  const s = key.toString('utf8');
  return Buffer.byteLength(s) === key.length && !s.includes('\uFFFD') ? s : key.toString('hex');
}

function recordAttributes(a: Attributes, key: Buffer | null, value: Buffer | null): Attributes {
  if (key) a[A.KAFKA_MESSAGE_KEY] = keyText(key);
  if (value) a[A.BODY_SIZE] = value.length;
  else a[A.KAFKA_TOMBSTONE] = true;
  return a;
}

/** Attributes of `send <topic>` known before delivery (partition and offset are added by the report). @internal */
export function sendAttributes(topic: string, r: OutgoingRecordView): Attributes {
  const a: Attributes = {
    [A.SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [A.OPERATION_TYPE]: 'send',
    [A.OPERATION_NAME]: 'send',
    [A.DESTINATION_NAME]: topic,
  };
  if (r.partition !== null) a[A.PARTITION_ID] = String(r.partition);
  return recordAttributes(a, r.key, r.value);
}

/** Attributes of `process <topic>`. @internal */
export function processAttributes(r: ConsumedRecordView, groupId: string | undefined, correlationId: string | undefined): Attributes {
  const a: Attributes = {
    [A.SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [A.OPERATION_TYPE]: 'process',
    [A.OPERATION_NAME]: 'process',
    [A.DESTINATION_NAME]: r.topic,
    [A.PARTITION_ID]: String(r.partition),
    [A.KAFKA_OFFSET]: r.offset,
  };
  if (groupId) a[A.CONSUMER_GROUP] = groupId;
  if (correlationId) a[A.CONVERSATION_ID] = correlationId;
  return recordAttributes(a, r.key, r.value);
}

/** Attributes of the client's `request <topic>` span (send until the final reply). @internal */
export function requestAttributes(topic: string, correlationId: string): Attributes {
  return {
    [A.SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [A.DESTINATION_NAME]: topic,
    [A.CONVERSATION_ID]: correlationId,
  };
}
