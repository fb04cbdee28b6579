import { LaneScheduler } from '../../../lib/transport/server/lane-scheduler.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LaneScheduler', () => {
  it('runs one lane in order and different lanes in parallel, up to the concurrency', async () => {
    const s = new LaneScheduler(2);
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
    await new Promise((r) => setImmediate(r));
    // k1's next task waits its turn behind k3, which was ready first.
    expect(log).toEqual(['start a1', 'start b1', 'end a1', 'start c1']);
    gates.get('b1')!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(log.slice(4)).toEqual(['end b1', 'start a2']);
    gates.get('c1')!.resolve();
    gates.get('a2')!.resolve();
    await s.onIdle();
    expect(s.size).toBe(0);
  });

  it('drops queued tasks of a group without touching running ones', async () => {
    const s = new LaneScheduler(1);
    const ran: string[] = [];
    const gate = deferred();
    s.submit('x', 'p0', async () => { ran.push('x1'); await gate.promise; });
    s.submit('x', 'p0', async () => { ran.push('x2'); });
    s.submit('y', 'p1', async () => { ran.push('y1'); });
    expect(s.drop('p0')).toBe(1);
    gate.resolve();
    await s.onIdle();
    expect(ran).toEqual(['x1', 'y1']);
  });

  it('rejects a concurrency below 1', () => {
    expect(() => new LaneScheduler(0)).toThrow(RangeError);
  });
});

describe('LaneScheduler.onIdleGroups', () => {
  it('resolves when the tasks of the given groups finished, whatever other groups do', async () => {
    const s = new LaneScheduler(2);
    const a = deferred();
    const b = deferred();
    s.submit('a', 'p0', () => a.promise);
    s.submit('b', 'p1', () => b.promise);
    let idle = false;
    const waiting = s.onIdleGroups(new Set(['p0'])).then(() => { idle = true; });
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
