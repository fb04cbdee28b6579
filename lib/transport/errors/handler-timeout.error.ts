/**
 * A handler did not finish within `handlerTimeoutMs`. It goes through the error policy like any failure. A
 * JavaScript promise cannot be cancelled: the expired run keeps going, its late result is ignored and its record
 * is handled again or committed as the policy decides (at-least-once holds either way).
 * @publicApi
 */
export class HandlerTimeoutError extends Error {
  /**
   * @param pattern the handler's pattern (its topic, or the RegExp source)
   * @param timeoutMs the time limit that elapsed
   * @param topic the record's topic
   * @param partition the record's partition
   * @param offset the record's offset
   */
  constructor(
    readonly pattern: string,
    readonly timeoutMs: number,
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
  ) {
    super(`Handler for "${pattern}" did not finish within ${timeoutMs} ms on ${topic}[${partition}]@${offset}`);
    this.name = 'HandlerTimeoutError';
  }
}
