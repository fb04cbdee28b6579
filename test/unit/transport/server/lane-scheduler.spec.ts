import { LaneScheduler } from '../../../../lib/transport/server/lane-scheduler.js';

type Task = () => Promise<void> | void;
/** A scheduler whose items are tasks to call. */
const tasks = (concurrency: number, turn?: number) =>
  new LaneScheduler<Task, void>(
    concurrency,
    (task) => task(),
    () => undefined,
    turn,
  );
/** Two event-loop turns: a lane that used up its turn starts its next one on a later turn. */
const loopTurns = () => new Promise((r) => setImmediate(() => setImmediate(r)));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LaneScheduler', () => {
  it('runs one lane in order and different lanes in parallel, up to the concurrency (turns of one item)', async () => {
    const s = tasks(2, 1);
    const log: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      const d = deferred();
      gates.set(name, d);
      await d.promise;
      log.push(`end ${name}`);
    };
    s.submit('k1', 'p0', task('a1'));
    s.submit('k1', 'p0', task('a2'));
    s.submit('k2', 'p0', task('b1'));
    s.submit('k3', 'p0', task('c1'));
    expect(log).toEqual(['start a1', 'start b1']);
    expect(s.size).toBe(4);
    gates.get('a1')!.resolve();
    await loopTurns();
    // k1's next task waits its turn behind k3, which was ready first.
    expect(log).toEqual(['start a1', 'start b1', 'end a1', 'start c1']);
    gates.get('b1')!.resolve();
    await loopTurns();
    expect(log.slice(4)).toEqual(['end b1', 'start a2']);
    gates.get('c1')!.resolve();
    gates.get('a2')!.resolve();
    await s.onIdle();
    expect(s.size).toBe(0);
  });

  it('drops queued tasks of a group without touching running ones', async () => {
    const s = tasks(1);
    const ran: string[] = [];
    const gate = deferred();
    s.submit('x', 'p0', async () => {
      ran.push('x1');
      await gate.promise;
    });
    s.submit('x', 'p0', async () => {
      ran.push('x2');
    });
    s.submit('y', 'p1', async () => {
      ran.push('y1');
    });
    expect(s.drop('p0')).toBe(1);
    gate.resolve();
    await s.onIdle();
    expect(ran).toEqual(['x1', 'y1']);
  });

  it('lets a lane run a turn of items, then hands the slot to the next ready lane', async () => {
    const s = tasks(1, 3);
    const ran: string[] = [];
    const gate = deferred();
    // z holds the only slot while a and b queue up.
    s.submit('z', 'p2', () => gate.promise);
    for (let i = 1; i <= 5; i++)
      s.submit('a', 'p0', () => {
        ran.push(`a${i}`);
      });
    for (let i = 1; i <= 2; i++)
      s.submit('b', 'p1', async () => {
        ran.push(`b${i}`);
      });
    expect(ran).toEqual([]);
    gate.resolve();
    await s.onIdle();
    expect(ran).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'a4', 'a5']);
    expect(s.size).toBe(0);
  });

  it('lets timers and I/O in between full turns, even when every item finishes at once', async () => {
    const s = tasks(1, 10);
    const ran: string[] = [];
    const gate = deferred();
    s.submit('z', 'p9', () => gate.promise);
    for (let i = 0; i < 30; i++)
      s.submit('a', 'p0', async () => {
        ran.push(`a${i}`);
      });
    gate.resolve();
    setImmediate(() => ran.push('io'));
    await s.onIdle();
    // Chained through microtasks alone, all 30 would run before the immediate; it comes after the first turn.
    expect(ran.indexOf('io')).toBe(10);
    expect(ran.filter((r) => r !== 'io')).toEqual(Array.from({ length: 30 }, (_, i) => `a${i}`));
  });

  it('keeps order and counts right for a lane fed while it runs, over many turns', async () => {
    const s = tasks(1, 7);
    const ran: number[] = [];
    let fed = 0;
    const feed = (): void => {
      const i = fed++;
      s.submit('a', 'p0', async () => {
        ran.push(i);
        // Every item queues two more until 3000 were queued: the lane never runs dry until the end.
        if (fed < 3000) feed();
        if (fed < 3000) feed();
      });
    };
    feed();
    await s.onIdle();
    expect(ran).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(s.size).toBe(0);
  });

  it('rejects a concurrency or turn below 1', () => {
    expect(() => tasks(0)).toThrow(RangeError);
    expect(() => tasks(1, 0)).toThrow(RangeError);
  });
});

describe('LaneScheduler.onIdleGroups', () => {
  it('resolves when the tasks of the given groups finished, whatever other groups do', async () => {
    const s = tasks(2);
    const a = deferred();
    const b = deferred();
    s.submit('a', 'p0', () => a.promise);
    s.submit('b', 'p1', () => b.promise);
    let idle = false;
    const waiting = s.onIdleGroups(new Set(['p0'])).then(() => {
      idle = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    a.resolve();
    await waiting;
    expect(idle).toBe(true);
    expect(s.size).toBe(1);
    b.resolve();
    await s.onIdle();
  });
});
