/**
 * `error.type` of a failure, low-cardinality as the conventions ask: a librdkafka error's code name
 * (`_MSG_TIMED_OUT`, `UNKNOWN_TOPIC_OR_PART`, also inside a `KafkaException`), else the error's name
 * (`RequestTimeoutError`, `TypeError`), else `_OTHER`.
 * @internal
 */
export function errorTypeOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '_OTHER';
  const inner = (err as { error?: unknown }).error;
  if (isCoded(inner)) return inner.name;
  if (isCoded(err)) return err.name;
  const name = (err as { name?: unknown }).name;
  return err instanceof Error && typeof name === 'string' && name ? name : '_OTHER';
}

/** A `KafkaError`: a numeric code and its name. */
function isCoded(v: unknown): v is { code: number; name: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'number' &&
    typeof (v as { name?: unknown }).name === 'string'
  );
}

/** A failure as the span's status message. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
