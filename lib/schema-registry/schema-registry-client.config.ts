/**
 * How to reach a Schema Registry. Keys are confluent_kafka's `SchemaRegistryClient` configuration keys;
 * `requestTimeoutMs` is ours (confluent_kafka's `timeout` is in seconds).
 * @publicApi
 */
export interface SchemaRegistryClientConfig {
  /**
   * The registry's base URL, with a path when it has one (Apicurio: `http://host:8080/apis/ccompat/v7`).
   * Several URLs may be given comma-separated; the next is tried when one cannot be reached.
   * Credentials in the URL (`http://user:pass@host`) are sent as basic auth.
   */
  url: string;
  /** Basic auth as `user:password`. */
  'basic.auth.user.info'?: string;
  /**
   * Where basic auth credentials come from: `USER_INFO` (`basic.auth.user.info`) or `URL` (the URL's
   * user info). Left unset, whichever is present is used.
   */
  'basic.auth.credentials.source'?: 'USER_INFO' | 'URL';
  /** A static bearer token, sent as `Authorization: Bearer <token>`. Excludes basic auth. */
  'bearer.auth.token'?: string;
  /**
   * How long one request may take before it fails with a `SchemaRegistryError` (status 0).
   * @default 10000
   */
  requestTimeoutMs?: number;
  /**
   * How many entries each of the client's caches (schemas by id, ids by schema, lookups, fixed versions)
   * keeps; the least recently used entry is forgotten beyond it, and asked for again when needed.
   * @default 1000
   */
  'cache.capacity'?: number;
}
