import {
  RebalanceHandler,
  lostReasonOfCommitError,
  lostReasonOfLog,
  type RebalanceNative,
  type RebalancePhase,
} from '../../../lib/client/consumer-rebalance.js';
import type { TopicPartition } from '../../../lib/client/topic-partition.js';
import { ErrorCode } from '../../../lib/errors/index.js';

class FakeConsumer implements RebalanceNative {
  calls: string[] = [];
  rebalanceProtocol(): string {
    return 'EAGER';
  }
  isConnected(): boolean {
    return true;
  }
  assign(): this {
    this.calls.push('assign');
    return this;
  }
  unassign(): this {
    this.calls.push('unassign');
    return this;
  }
  incrementalAssign(): this {
    this.calls.push('incrementalAssign');
    return this;
  }
  incrementalUnassign(): this {
    this.calls.push('incrementalUnassign');
    return this;
  }
}

function handler() {
  const native = new FakeConsumer();
  const phases: RebalancePhase[] = [];
  const seen: string[] = [];
  const h = new RebalanceHandler<string>(
    () => native,
    'consumer',
    undefined,
    (phase) => phases.push(phase),
  );
  h.callbacks = {
    onAssign: (_c, p) => void seen.push(`assign ${p.length}`),
    onRevoke: (_c, p) => void seen.push(`revoke ${p.length}`),
    onLost: (_c, p: TopicPartition[]) => void seen.push(`lost ${p.length}`),
  };
  return { h, native, phases, seen };
}

const tps = [
  { topic: 't', partition: 0, offset: -1001 },
  { topic: 't', partition: 1, offset: -1001 },
];

describe('RebalanceHandler', () => {
  it('calls onRevoke for an ordinary revocation and unassigns', async () => {
    const { h, native, phases, seen } = handler();
    h.handle(ErrorCode._REVOKE_PARTITIONS, tps);
    await h.settled();
    expect(seen).toEqual(['revoke 2']);
    expect(phases).toEqual(['revoke']);
    expect(native.calls).toEqual(['unassign']);
  });

  it.each(['MAXPOLL', 'SESSTMOUT'])('calls onLost after librdkafka logged %s, once, and onRevoke for the next revocation', async (fac) => {
    const { h, native, phases, seen } = handler();
    h.lostReason = lostReasonOfLog(fac);
    h.handle(ErrorCode._REVOKE_PARTITIONS, tps);
    h.handle(ErrorCode._ASSIGN_PARTITIONS, tps);
    h.handle(ErrorCode._REVOKE_PARTITIONS, tps);
    await h.settled();
    expect(seen).toEqual(['lost 2', 'assign 2', 'revoke 2']);
    expect(phases).toEqual(['lost', 'assign', 'revoke']);
    expect(native.calls).toEqual(['unassign', 'assign', 'unassign']);
  });

  it('sees a loss reported after the rebalance event but in the same turn of the event loop', async () => {
    const { h, seen } = handler();
    h.handle(ErrorCode._REVOKE_PARTITIONS, tps);
    h.lostReason = lostReasonOfLog('MAXPOLL');
    await h.settled();
    expect(seen).toEqual(['lost 2']);
  });

  it('falls back to onRevoke for lost partitions without onLost (confluent_kafka)', async () => {
    const { h, seen } = handler();
    h.callbacks = { onRevoke: (_c, p) => void seen.push(`revoke ${p.length}`) };
    h.lostReason = 'session timed out';
    h.handle(ErrorCode._REVOKE_PARTITIONS, tps);
    await h.settled();
    expect(seen).toEqual(['revoke 2']);
  });

  it('knows only the two log facilities that mean a loss', () => {
    expect(lostReasonOfLog('MAXPOLL')).toBe('max.poll.interval.ms exceeded');
    expect(lostReasonOfLog('SESSTMOUT')).toBe('session timed out');
    expect(lostReasonOfLog('FAIL')).toBeUndefined();
    expect(lostReasonOfLog(undefined)).toBeUndefined();
  });

  it('reads a commit refused for a member the coordinator no longer knows as a loss, and nothing else', () => {
    expect(lostReasonOfCommitError(ErrorCode.UNKNOWN_MEMBER_ID)).toBe('commit refused: UNKNOWN_MEMBER_ID');
    expect(lostReasonOfCommitError(ErrorCode.ILLEGAL_GENERATION)).toBe('commit refused: ILLEGAL_GENERATION');
    expect(lostReasonOfCommitError(ErrorCode._ASSIGNMENT_LOST)).toBe('commit refused: _ASSIGNMENT_LOST');
    expect(lostReasonOfCommitError(ErrorCode.REBALANCE_IN_PROGRESS)).toBeUndefined();
    expect(lostReasonOfCommitError(ErrorCode._NO_OFFSET)).toBeUndefined();
    expect(lostReasonOfCommitError(undefined)).toBeUndefined();
  });
});
