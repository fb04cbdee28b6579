import type { SerializationContext } from '../serdes/index.js';

/**
 * Chooses the subject a schema is registered and looked up under, from the message's topic and field and
 * the schema's full name (`namespace.Name`; undefined for unnamed schemas such as `"string"`).
 * Throws when it cannot name a subject; the serializer reports that as a serialization error.
 * @publicApi
 */
export type SubjectNameStrategy = (ctx: SerializationContext, recordName: string | undefined) => string;

/** `<topic>-key` / `<topic>-value`: one schema lineage per topic and field (the default). @publicApi */
export const topicSubjectNameStrategy: SubjectNameStrategy = (ctx) => `${ctx.topic}-${ctx.field}`;

/**
 * `<fullname>`: one lineage per record type, shared by every topic that carries it.
 * @throws Error for a schema without a name
 * @publicApi
 */
export const recordSubjectNameStrategy: SubjectNameStrategy = (_ctx, recordName) => requireName(recordName, 'record');

/**
 * `<topic>-<fullname>`: one lineage per record type within a topic (several types on one topic).
 * @throws Error for a schema without a name
 * @publicApi
 */
export const topicRecordSubjectNameStrategy: SubjectNameStrategy = (ctx, recordName) =>
  `${ctx.topic}-${requireName(recordName, 'topic-record')}`;

function requireName(recordName: string | undefined, strategy: string): string {
  if (!recordName) throw new Error(`the ${strategy} subject name strategy needs a named schema (record, enum or fixed)`);
  return recordName;
}
