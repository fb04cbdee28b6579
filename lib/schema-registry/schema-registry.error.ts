/** `errorCode` when the registry's answer carried no `error_code` (or there was no answer). */
export const SCHEMA_REGISTRY_UNKNOWN_ERROR_CODE = -1;

/**
 * A Schema Registry request failed: the registry answered with an error status, or it could not be reached
 * (then `status` is 0). Carries the registry's own `error_code` (Confluent codes such as 40401 subject not
 * found, 40403 schema not found, 409 incompatible schema, 42201 invalid schema), as confluent_kafka's
 * `SchemaRegistryError`.
 * @publicApi
 */
export class SchemaRegistryError extends Error {
  /** The HTTP status, or 0 when no response came (network error, timeout). */
  readonly status: number;
  /** The registry's `error_code`, or -1 when its answer had none. */
  readonly errorCode: number;
  /** The request that failed, as `METHOD /path` (no host, no credentials). */
  readonly request: string;

  /**
   * @param status the HTTP status, 0 when there was no response
   * @param errorCode the registry's `error_code`, -1 when unknown
   * @param message the registry's message, or what went wrong
   * @param request `METHOD /path` of the failed request
   * @param cause the underlying error, if any
   */
  constructor(status: number, errorCode: number, message: string, request: string, cause?: unknown) {
    super(`Schema Registry ${request} failed (${status || 'no response'}, error code ${errorCode}): ${message}`, { cause });
    this.name = 'SchemaRegistryError';
    this.status = status;
    this.errorCode = errorCode;
    this.request = request;
  }

  /** True for 404 answers: unknown subject (40401), version (40402) or schema id (40403). */
  get isNotFound(): boolean {
    return this.status === 404;
  }
}
