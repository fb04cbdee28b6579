import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumerEventPump, type PumpNative } from '../../../lib/client/consumer-event-pump.js';
import { Message } from '../../../lib/client/message.js';

type Tp = { topic: string; partition: number };
const names = (tps: Tp[]) => tps.map((tp) => `${tp.topic}/${tp.partition}`).join(',');

class FakeNative implements PumpNative {
  assigned: Tp[] = [
    { topic: 't', partition: 0 },
    { topic: 't', partition: 1 },
  ];
  log: string[] = [];
  assignments(): Tp[] {
    return this.assigned;
  }
  pause(tps: Tp[]): void {
    this.log.push(`pause ${names(tps)}`);
  }
  resume(tps: Tp[]): void {
    this.log.push(`resume ${names(tps)}`);
  }
}

function pump(opts: { taken?: Message[]; idle?: () => boolean; during?: (p: ConsumerEventPump) => void } = {}) {
  const native = new FakeNative();
  const p: ConsumerEventPump = new ConsumerEventPump({
    native: () => native,
    consumeNoWait: async () => {
      native.log.push('consume');
      opts.during?.(p);
      return opts.taken ?? [];
    },
    connected: () => true,
    serial: (run) => run(),
    lastConsumeEnd: () => ((opts.idle?.() ?? true) ? Date.now() - 1000 : 0),
  });
  return { p, native };
}

describe('ConsumerEventPump', () => {
  it('serves the queue while a commit result is due: pauses the assignment, consumes, resumes, then stops', async () => {
    const { p, native } = pump();
    p.expectCommitResult();
    await sleep(60);
    expect(native.log.slice(0, 3)).toEqual(['pause t/0,t/1', 'consume', 'resume t/0,t/1']);
    p.commitResultArrived();
    const served = native.log.length;
    await sleep(60);
    expect(native.log.length).toBe(served);
  });

  it('does nothing while the application consumes (its consume serves the queue)', async () => {
    const { p, native } = pump({ idle: () => false });
    p.expectCommitResult();
    await sleep(60);
    p.stop();
    expect(native.log).toEqual([]);
  });

  it('leaves partitions the application paused alone', async () => {
    const { p, native } = pump();
    p.paused([{ topic: 't', partition: 1 }]);
    p.expectCommitResult();
    await sleep(40);
    p.stop();
    expect(native.log.slice(0, 3)).toEqual(['pause t/0', 'consume', 'resume t/0']);
  });

  it('applies a resume() asked for during a serve after it, so no message slips out meanwhile', async () => {
    let deferred: boolean | undefined;
    const { p, native } = pump({
      during: (self) => {
        deferred ??= self.resumed([{ topic: 't', partition: 1 }]);
      },
    });
    p.paused([{ topic: 't', partition: 1 }]);
    p.expectCommitResult();
    await sleep(40);
    p.stop();
    expect(deferred).toBe(true);
    expect(native.log.slice(0, 3)).toEqual(['pause t/0', 'consume', 'resume t/0,t/1']);
    expect(p.resumed([{ topic: 't', partition: 1 }])).toBe(false);
  });

  it('keeps what a serve took for the next consume, and drops it when its partition is revoked', async () => {
    const m = (partition: number) => new Message({ topic: 't', partition, offset: 5 });
    const { p } = pump({ taken: [m(0), m(1)] });
    p.expectCommitResult();
    await sleep(40);
    p.stop();
    expect(p.prefetched.slice(0, 2).map((x) => x.partition)).toEqual([0, 1]);
    p.revoked([{ topic: 't', partition: 0 }]);
    expect(p.prefetched.every((x) => x.partition === 1)).toBe(true);
  });
});
