import { runWithPolicy } from '../../../../lib/transport/server/handler-error.policy.js';

describe('runWithPolicy', () => {
  const never = new AbortController().signal;

  it('skips after one failure with skip, and stops with stop', async () => {
    const fails: number[] = [];
    const fail = async (): Promise<void> => {
      throw new Error('boom');
    };
    expect(await runWithPolicy(fail, { mode: 'skip' }, (_e, n) => fails.push(n), never)).toBe('skipped');
    expect(await runWithPolicy(fail, { mode: 'stop' }, (_e, n) => fails.push(n), never)).toBe('stopped');
    expect(fails).toEqual([1, 1]);
  });

  it('retries a bounded number of times with growing backoff, then applies then', async () => {
    const at: number[] = [];
    const t0 = Date.now();
    const outcome = await runWithPolicy(
      async () => {
        at.push(Date.now() - t0);
        throw new Error('x');
      },
      { mode: 'retry', retries: 3, initialBackoffMs: 20, maxBackoffMs: 50, then: 'stop' },
      () => undefined,
      never,
    );
    expect(outcome).toBe('stopped');
    expect(at).toHaveLength(4);
    // Waits of 20, 40 and 50 (capped) ms.
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(18);
    expect(at[3] - at[2]).toBeGreaterThanOrEqual(45);
  });

  it('succeeds on a later attempt and aborts a pending backoff', async () => {
    let n = 0;
    expect(
      await runWithPolicy(
        async () => {
          if (++n < 2) throw new Error('once');
        },
        { mode: 'retry', initialBackoffMs: 1 },
        () => undefined,
        never,
      ),
    ).toBe('done');
    const ac = new AbortController();
    const p = runWithPolicy(
      async () => {
        throw new Error('x');
      },
      { mode: 'retry', initialBackoffMs: 60_000 },
      () => undefined,
      ac.signal,
    );
    ac.abort();
    expect(await p).toBe('aborted');
  });
});
