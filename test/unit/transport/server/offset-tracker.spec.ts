import { PendingOffsets } from '../../../../lib/transport/server/offset-tracker.js';

describe('PendingOffsets', () => {
  it('commits only the highest contiguous finished offset of a partition', () => {
    const t = new PendingOffsets();
    for (const o of [10, 11, 12, 13]) t.track(o);
    expect(t.complete(12)).toBeNull();
    expect(t.complete(11)).toBeNull();
    expect(t.complete(10)).toBe(13);
    expect(t.inFlight).toBe(1);
    expect(t.complete(13)).toBe(14);
    expect(t.inFlight).toBe(0);
  });

  it('forgets truncated and cleared offsets, and ignores offsets it does not track', () => {
    const t = new PendingOffsets();
    for (const o of [1, 2, 3]) t.track(o);
    t.truncateFrom(2);
    expect(t.inFlight).toBe(1);
    expect(t.complete(3)).toBeNull();
    expect(t.complete(1)).toBe(2);
    t.track(5);
    t.clear();
    expect(t.complete(5)).toBeNull();
    expect(t.inFlight).toBe(0);
  });

  it('keeps the contiguous prefix right over many records finishing out of order (compaction included)', () => {
    const t = new PendingOffsets();
    const n = 5000;
    for (let o = 0; o < n; o++) t.track(o);
    // Finish pairs swapped: 1, 0, 3, 2, ... so the prefix moves by two every second completion.
    const moves: (number | null)[] = [];
    for (let o = 0; o < n; o += 2) {
      moves.push(t.complete(o + 1));
      moves.push(t.complete(o));
    }
    expect(moves.filter((m) => m !== null)).toEqual(Array.from({ length: n / 2 }, (_, i) => 2 * i + 2));
    expect(t.inFlight).toBe(0);
    t.track(n);
    expect(t.complete(n)).toBe(n + 1);
  });
});
