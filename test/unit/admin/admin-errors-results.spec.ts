import { createRequire } from 'node:module';
import { fromAdminError, codeOfKafkaJsType } from '../../../lib/admin/admin-error.mapper.js';
import { adminPromise, resultMap, settleResults, withTimeout } from '../../../lib/admin/admin-results.util.js';
import { toGroupState, toGroupType } from '../../../lib/admin/ops/group-describe.ops.js';
import { ConsumerGroupState, ConsumerGroupType } from '../../../lib/admin/index.js';
import { ErrorCode, KafkaException } from '../../../lib/errors/index.js';

const require = createRequire(import.meta.url);
// kafkajs's own error classes and protocol error table, so the mapping is tested against what it really throws.
const K = require('kafkajs/src/errors.js') as Record<string, new (...args: unknown[]) => Error>;
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as { createErrorFromCode(code: number): Error };

describe('admin error mapping', () => {
  it('keeps the broker code of kafkajs protocol errors, including renamed ones', () => {
    const e = fromAdminError(createErrorFromCode(36));
    expect(e).toBeInstanceOf(KafkaException);
    expect(e.code).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(e.error.name).toBe('TOPIC_ALREADY_EXISTS');
    expect(fromAdminError(createErrorFromCode(3)).error.name).toBe('UNKNOWN_TOPIC_OR_PART');
    expect(codeOfKafkaJsType('UNKNOWN_TOPIC_OR_PARTITION')).toBe(3);
    expect(codeOfKafkaJsType('NON_EMPTY_GROUP')).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(codeOfKafkaJsType('NO_SUCH_THING')).toBeUndefined();
  });

  it('unwraps retries, aggregates and per-group errors', () => {
    const inner = createErrorFromCode(68);
    const retries = new K.KafkaJSNumberOfRetriesExceeded!(inner, { retryCount: 2, retryTime: 100 });
    expect(fromAdminError(retries).code).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(fromAdminError(new K.KafkaJSAggregateError!('x', [createErrorFromCode(40)])).code).toBe(ErrorCode.INVALID_CONFIG);
    const groups = new K.KafkaJSDeleteGroupsError!('Error in DeleteGroups', [
      { groupId: 'g', errorCode: 69, error: createErrorFromCode(69) },
    ]);
    expect(fromAdminError(groups).code).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('gives kafkajs client-side failures the closest local code', () => {
    expect(fromAdminError(new K.KafkaJSConnectionError!('refused')).code).toBe(ErrorCode._TRANSPORT);
    expect(fromAdminError(new K.KafkaJSRequestTimeoutError!('slow')).code).toBe(ErrorCode._TIMED_OUT);
    expect(fromAdminError(new K.KafkaJSSASLAuthenticationError!('bad pw')).code).toBe(ErrorCode._AUTHENTICATION);
    expect(fromAdminError(new K.KafkaJSNonRetriableError!('Invalid topics array')).code).toBe(ErrorCode._INVALID_ARG);
    expect(fromAdminError(new Error('boom')).code).toBe(ErrorCode._FAIL);
  });

  it('maps kafka-ts API errors and native errors by their code', () => {
    expect(fromAdminError(Object.assign(new Error('x'), { name: 'KafkaTSApiError', errorCode: 91 })).code).toBe(
      ErrorCode.RESOURCE_NOT_FOUND,
    );
    expect(fromAdminError({ message: 'Broker: Unknown member', code: 25 }).code).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('admin result shaping', () => {
  it('runs each key on its own: one rejection does not affect the others, and all are KafkaExceptions', async () => {
    const results = resultMap(
      ['a', 'b', 'c'],
      async (k) => {
        if (k === 'b') throw createErrorFromCode(36);
        return k.toUpperCase();
      },
      1000,
      'op',
    );
    const settled = await settleResults(results);
    expect([...settled.keys()]).toEqual(['a', 'b', 'c']);
    expect(settled.get('a')).toEqual({ status: 'fulfilled', value: 'A' });
    const b = settled.get('b') as PromiseRejectedResult;
    expect(b.reason).toBeInstanceOf(KafkaException);
    expect((b.reason as KafkaException).code).toBe(36);
  });

  it('marks rejections handled, so an unawaited failed result raises no unhandledRejection', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (r: unknown): void => void seen.push(r);
    process.on('unhandledRejection', onUnhandled);
    try {
      adminPromise(Promise.reject(new Error('ignored')));
      await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('times out with _TIMED_OUT', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20, 'slowOp')).rejects.toMatchObject({ code: ErrorCode._TIMED_OUT });
    await expect(withTimeout(Promise.resolve(1), 0, 'noLimit')).resolves.toBe(1);
  });

  it('names group states as confluent_kafka does, KIP-848 states included, and serializes them by name', () => {
    expect(toGroupState('Stable')).toBe(ConsumerGroupState.STABLE);
    expect(toGroupState('Empty')).toBe(ConsumerGroupState.EMPTY);
    // KIP-848 groups (group.protocol=consumer) pass through these while they consume: not UNKNOWN, not DEAD.
    expect(toGroupState('Assigning')).toBe(ConsumerGroupState.ASSIGNING);
    expect(toGroupState('Reconciling')).toBe(ConsumerGroupState.RECONCILING);
    expect(toGroupState('NotReady')).toBe(ConsumerGroupState.UNKNOWN);
    expect(toGroupType('consumer')).toBe(ConsumerGroupType.CONSUMER);
    expect(toGroupType('classic')).toBe(ConsumerGroupType.CLASSIC);
    expect(JSON.parse(JSON.stringify({ state: toGroupState('Stable'), type: toGroupType('consumer') }))).toEqual({
      state: 'STABLE',
      type: 'CONSUMER',
    });
  });
});
