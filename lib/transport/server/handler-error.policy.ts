/**
 * What the server does when an event handler fails, a request handler throws `KafkaRetriableException` before its
 * first reply, or any handler runs past `handlerTimeoutMs` (`HandlerTimeoutError`). When the policy gives up on a
 * request (skip, or stop), its caller gets an error reply instead of waiting for its own timeout. No policy
 * retries without bound, so a poison record cannot cause a retry storm.
 * - `skip`: log the error with the record's place and commit past it.
 * - `retry`: run the handler again up to `retries` times with exponential backoff, then apply `then`.
 * - `stop`: log, pause the partition and keep its offset at the failed record; `RdKafkaContext.resume()` or
 *   `ServerRdKafka.resume()` restarts it from that record.
 * - `dead-letter`: send the record on (see `ServerRdKafkaOptions.deadLetter` and `retryTopics`): to its next
 *   retry topic, or to its dead-letter topic; its offset is committed once that write is acknowledged. A write
 *   that keeps failing falls back to `stop`.
 * @publicApi
 */
export type HandlerErrorPolicy =
  | { readonly mode: 'skip' }
  | { readonly mode: 'stop' }
  | { readonly mode: 'dead-letter' }
  | {
      readonly mode: 'retry';
      /** Further attempts after the first. @default 3 */
      readonly retries?: number;
      /** Wait before the first retry, doubled each time. @default 200 */
      readonly initialBackoffMs?: number;
      /** Longest wait between attempts. @default 5000 */
      readonly maxBackoffMs?: number;
      /** What happens when the retries are used up. @default 'skip' */
      readonly then?: 'skip' | 'stop' | 'dead-letter';
    };

/** The default: three retries at 200, 400 and 800 ms, then log and skip. @publicApi */
export const DEFAULT_HANDLER_ERROR_POLICY: HandlerErrorPolicy = Object.freeze({
  mode: 'retry',
  retries: 3,
  initialBackoffMs: 200,
  maxBackoffMs: 5000,
  then: 'skip',
});

/**
 * How a record's handling ended. `forwarded` (to a retry topic) and `dead-lettered` commit like `skipped`;
 * `deferred`: a retry topic's record not due yet, its partition waits (paused) until it is. @internal
 */
export type HandlingOutcome = 'done' | 'skipped' | 'stopped' | 'aborted' | 'forwarded' | 'dead-lettered' | 'deferred';

/** What the policy decided: a handling outcome, or `routed` (the record goes to the failure router). @internal */
export type PolicyOutcome = 'done' | 'skipped' | 'stopped' | 'aborted' | 'routed';

/**
 * Runs `attempt` under a policy.
 * @param attempt one run of the handler; rejects when the handler failed and the policy applies
 * @param policy the policy
 * @param onFailure called for every failure with the attempt number (1-based) and whether another follows
 * @param signal aborts a pending backoff (server closing): the outcome is then `aborted` and nothing is committed
 * @param firstFailure given when the caller already ran the first attempt itself and it failed with this (the
 *   common case, success, then costs no policy machinery)
 * @returns how handling ended
 * @internal
 */
export async function runWithPolicy(
  attempt: () => Promise<void>,
  policy: HandlerErrorPolicy,
  onFailure: (err: unknown, attemptNo: number, willRetry: boolean) => void,
  signal: AbortSignal,
  ...firstFailure: [] | [unknown]
): Promise<PolicyOutcome> {
  const retries = policy.mode === 'retry' ? Math.max(0, policy.retries ?? 3) : 0;
  let backoff = policy.mode === 'retry' ? Math.max(0, policy.initialBackoffMs ?? 200) : 0;
  const maxBackoff = policy.mode === 'retry' ? Math.max(0, policy.maxBackoffMs ?? 5000) : 0;
  for (let n = 1; ; n++) {
    try {
      if (n === 1 && firstFailure.length > 0) throw firstFailure[0];
      await attempt();
      return 'done';
    } catch (err) {
      const willRetry = n <= retries && !signal.aborted;
      onFailure(err, n, willRetry);
      if (!willRetry) break;
    }
    if (!(await sleep(Math.min(backoff, maxBackoff), signal))) return 'aborted';
    backoff *= 2;
  }
  if (signal.aborted && policy.mode === 'retry') return 'aborted';
  return finalOutcome(policy);
}

/**
 * Where a policy ends once no (further) attempt is made: `skip`, `stop`, or a retry policy's `then`. Also the
 * outcome of a failure no retry can change (a record whose bytes cannot be read or decoded).
 * @internal
 */
export function finalOutcome(policy: HandlerErrorPolicy): 'skipped' | 'stopped' | 'routed' {
  const final = policy.mode === 'retry' ? (policy.then ?? 'skip') : policy.mode;
  return final === 'stop' ? 'stopped' : final === 'dead-letter' ? 'routed' : 'skipped';
}

/** Waits `ms`; resolves false when aborted first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
