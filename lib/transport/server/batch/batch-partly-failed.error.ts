/**
 * A batch handler resolved but marked some records failed (`RdKafkaBatchContext.fail`): what the error policy
 * sees for the attempt, so the marked records are retried (or given up on) like a failed handler's.
 * @internal
 */
export class BatchPartlyFailedError extends Error {
  /**
   * @param failed records marked failed
   * @param of records in the batch
   * @param first the error the first marked record was failed with
   */
  constructor(
    readonly failed: number,
    readonly of: number,
    readonly first: unknown,
  ) {
    super(
      `${failed} of ${of} records marked failed; the first: ${first instanceof Error ? `${first.name}: ${first.message}` : String(first)}`,
    );
    this.name = 'BatchPartlyFailedError';
  }
}
