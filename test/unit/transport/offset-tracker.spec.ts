import { OffsetTracker } from '../../../lib/transport/server/offset-tracker.js';

describe('OffsetTracker', () => {
  it('commits only the highest contiguous finished offset of a partition', () => {
    const t = new OffsetTracker();
    for (const o of [10, 11, 12, 13]) t.track('a', 0, o);
    expect(t.complete('a', 0, 12)).toBeNull();
    expect(t.complete('a', 0, 11)).toBeNull();
    expect(t.complete('a', 0, 10)).toBe(13);
    expect(t.inFlight).toBe(1);
    expect(t.complete('a', 0, 13)).toBe(14);
    expect(t.inFlight).toBe(0);
  });

  it('keeps partitions apart and forgets truncated and revoked offsets', () => {
    const t = new OffsetTracker();
    t.track('a', 0, 1);
    t.track('a', 1, 1);
    t.track('a', 0, 2);
    t.track('a', 0, 3);
    expect(t.complete('a', 1, 1)).toBe(2);
    t.truncateFrom('a', 0, 2);
    expect(t.inFlight).toBe(1);
    expect(t.complete('a', 0, 3)).toBeNull();
    expect(t.complete('a', 0, 1)).toBe(2);
    t.track('b', 0, 5);
    t.forget('b', 0);
    expect(t.complete('b', 0, 5)).toBeNull();
  });
});
