/** A schema format the Confluent REST API knows; absent means AVRO. @publicApi */
export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

/** A reference from one schema to another registered one (a named type defined elsewhere). @publicApi */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A schema as the registry stores it: its text, its type, and its references. @publicApi */
export interface Schema {
  /** The schema text (for Avro, its JSON). */
  readonly schema: string;
  /** @default 'AVRO' */
  readonly schemaType?: SchemaType;
  readonly references?: readonly SchemaReference[];
}

/** A schema registered under a subject (confluent_kafka's `RegisteredSchema`). @publicApi */
export interface RegisteredSchema extends Schema {
  readonly id: number;
  readonly subject: string;
  readonly version: number;
}

/** The registry's compatibility levels. @publicApi */
export type CompatibilityLevel =
  'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

/** A version number, or `'latest'`. @publicApi */
export type SchemaVersion = number | 'latest';

/**
 * What the serializers need from a Schema Registry: implemented by `SchemaRegistryClient` (REST) and
 * `MockSchemaRegistryClient` (in memory, for tests). Methods reject with `SchemaRegistryError`.
 * @publicApi
 */
export interface SchemaRegistryClientInterface {
  /** Registers a schema under a subject (or finds it there) and returns its id. */
  register(subject: string, schema: Schema | string, normalize?: boolean): Promise<number>;
  /** The subject's version holding this exact schema; 404 (40401/40403) when it is not registered there. */
  lookupSchema(subject: string, schema: Schema | string, normalize?: boolean): Promise<RegisteredSchema>;
  /** The schema with this id; 404 (40403) when unknown. */
  getById(id: number): Promise<Schema>;
  /** The latest version registered under a subject; 404 (40401) when the subject is unknown. */
  getLatestVersion(subject: string): Promise<RegisteredSchema>;
  /** One version of a subject; 404 (40401 subject, 40402 version) when unknown. */
  getVersion(subject: string, version: SchemaVersion): Promise<RegisteredSchema>;
  /** The version numbers registered under a subject. */
  getVersions(subject: string): Promise<number[]>;
  /** All subjects. */
  getSubjects(): Promise<string[]>;
  /** Whether a schema could be registered as a new version of the subject under its compatibility rule. */
  testCompatibility(subject: string, schema: Schema | string, version?: SchemaVersion): Promise<boolean>;
  /** The compatibility level of a subject, or the global one when `subject` is omitted. */
  getCompatibility(subject?: string): Promise<CompatibilityLevel>;
  /** Sets the compatibility level of a subject, or the global one when `subject` is omitted. */
  updateCompatibility(level: CompatibilityLevel, subject?: string): Promise<CompatibilityLevel>;
  /** Deletes a subject (soft, or for good with `permanent`) and returns the versions it had. */
  deleteSubject(subject: string, permanent?: boolean): Promise<number[]>;
  /** Deletes one version of a subject and returns its number. */
  deleteVersion(subject: string, version: SchemaVersion, permanent?: boolean): Promise<number>;
}
