import { Message } from '../../../../lib/client/message.js';
import type { HandlingOutcome } from '../../../../lib/transport/server/handler-error.policy.js';
import { PartitionFlow } from '../../../../lib/transport/server/partition-flow.js';

const at = (offset: number) => new Message({ topic: 't', partition: 0, offset });

/** A flow whose records never finish, so what it queued and tracks stays visible. */
function flow(): PartitionFlow {
  return new PartitionFlow(
    1,
    false,
    () => new Promise<HandlingOutcome>(() => undefined),
    () => undefined,
  );
}

describe('PartitionFlow', () => {
  it('a stop or seek forgets offsets from its cut on; records below it keep counting under their generation', () => {
    const f = flow();
    for (const o of [0, 1, 2, 3]) f.enqueue(at(o));
    const s = f.state('t', 0);
    f.reset('t', 0, 2);
    expect(s.gen).toBe(1);
    expect(s.pending.tracks(1, 0)).toBe(true);
    expect(s.pending.tracks(2, 0)).toBe(false);
    expect(s.pending.complete(0)).toBe(1);
    expect(s.pending.complete(1)).toBe(2);
  });

  it('refuses a record whose offset does not increase (fetched before a seek, delivered after it)', () => {
    const f = flow();
    expect(f.enqueue(at(5))).toBe(true);
    expect(f.enqueue(at(5))).toBe(false);
    expect(f.enqueue(at(3))).toBe(false);
    f.reset('t', 0, 2); // a seek back to 2: offsets from 2 on are expected again
    expect(f.enqueue(at(2))).toBe(true);
    f.reset('t', 0); // revoked: anything may come next
    expect(f.enqueue(at(0))).toBe(true);
  });

  it('after a forward seek, drops records below the target that were fetched before it (the seek skipped them)', () => {
    const f = flow();
    for (const o of [0, 1]) f.enqueue(at(o));
    f.seek('t', 0, 1, 3); // record 1 seeks to 3
    expect(f.enqueue(at(2))).toBe(false);
    expect(f.enqueue(at(3))).toBe(true);
  });

  it('a stopped partition takes no record until it is resumed (a batch fetched before the stop arrives late)', () => {
    const f = flow();
    for (const o of [0, 1, 2]) f.enqueue(at(o));
    f.stop('t', 0, 1);
    expect(f.enqueue(at(3))).toBe(false);
    expect(f.state('t', 0).pending.tracks(3, 1)).toBe(false);
    f.resume('t', 0);
    expect(f.enqueue(at(1))).toBe(true);
  });
});
