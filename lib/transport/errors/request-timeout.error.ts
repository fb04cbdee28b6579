/**
 * A `send()` got no final reply within `requestTimeoutMs`. The request may still have been handled; the pending
 * reply entry is dropped, so a late reply is ignored.
 * @publicApi
 */
export class RequestTimeoutError extends Error {
  /**
   * @param pattern the request's pattern (its topic)
   * @param timeoutMs the timeout that elapsed
   * @param correlationId the request's `kafka_correlationId`
   */
  constructor(
    readonly pattern: string,
    readonly timeoutMs: number,
    readonly correlationId: string,
  ) {
    super(`No reply to "${pattern}" within ${timeoutMs} ms (correlation id ${correlationId})`);
    this.name = 'RequestTimeoutError';
  }
}
