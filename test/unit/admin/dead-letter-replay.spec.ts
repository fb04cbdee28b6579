import { Consumer } from '../../../lib/client/consumer.js';
import { Producer } from '../../../lib/client/producer.js';
import { replayDeadLetters, type ReplayDeadLettersOptions } from '../../../lib/admin/ops/dead-letter-replay.ops.js';
import { FakeKafka, type FakeRecordInit } from '../../../lib/testing/index.js';
import { DeadLetterHeaders as H } from '../../../lib/transport/server/dead-letter/dead-letter.headers.js';

/** A dead-letter record of orders[partition]@offset, as the server writes it. */
function dead(n: number, partition: number, extra: [string, string][] = []): FakeRecordInit {
  return {
    key: `k${n}`,
    value: `{"n":${n}}`,
    headers: [
      ['trace', `t${n}`],
      ...extra,
      [H.ORIGINAL_TOPIC, 'orders'],
      [H.ORIGINAL_PARTITION, String(partition)],
      [H.ORIGINAL_OFFSET, String(n)],
      [H.ERROR_CLASS, 'Error'],
      [H.ERROR_MESSAGE, 'boom'],
      [H.ATTEMPTS, '3'],
    ],
  };
}

async function run(kafka: FakeKafka, o: ReplayDeadLettersOptions = {}) {
  const consumer = new Consumer({ 'group.id': 'replay', 'enable.auto.commit': false, 'auto.offset.reset': 'earliest' }, kafka.binding);
  const producer = new Producer({ 'linger.ms': 0 }, {}, kafka.binding);
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    return await replayDeadLetters({ consumer, producer }, 'orders.dlt', 2, { timeoutMs: 5000, ...o });
  } finally {
    await Promise.all([consumer.close(), producer.close(1000)]);
  }
}

const text = (h: ReadonlyArray<readonly [string, Buffer]>) => h.map(([k, v]) => [k, v.toString()]);

describe('replayDeadLetters', () => {
  let kafka: FakeKafka;
  beforeEach(() => {
    kafka = new FakeKafka().createTopic('orders', 3).createTopic('orders.dlt', 2).createTopic('audit', 1);
  });

  it('writes each record back to its original topic and partition, bytes and own headers as they were, and commits', async () => {
    kafka.append('orders.dlt', [dead(1, 2, [[`${H.BASE64_PREFIX}bin`, Buffer.from('héllo').toString('base64')]]), dead(2, 1)], 0);
    kafka.append('orders.dlt', [dead(3, 0)], 1);
    const report = await run(kafka);
    expect(report).toEqual({ replayed: 3, passedOver: 0, failed: [], complete: true });
    const [back] = kafka.records('orders', 2);
    expect(back!.key!.toString()).toBe('k1');
    expect(back!.value!.toString()).toBe('{"n":1}');
    expect(text(back!.headers)).toEqual([
      ['trace', 't1'],
      ['bin', 'héllo'],
    ]);
    expect(kafka.records('orders', 1)).toHaveLength(1);
    expect(kafka.records('orders', 0)).toHaveLength(1);
    expect([kafka.committed('replay', 'orders.dlt', 0), kafka.committed('replay', 'orders.dlt', 1)]).toEqual([2, 1]);
  });

  it('goes on where the last run ended: nothing is written twice', async () => {
    kafka.append('orders.dlt', [dead(1, 0)], 0);
    await run(kafka);
    kafka.append('orders.dlt', [dead(2, 0)], 0);
    expect(await run(kafka)).toMatchObject({ replayed: 1, complete: true });
    expect(kafka.records('orders', 0).map((r) => r.value!.toString())).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('passes over what the filter refuses, committed past; `to` redirects', async () => {
    kafka.append('orders.dlt', [dead(1, 0), dead(2, 0), dead(3, 0)], 0);
    const report = await run(kafka, { filter: (m) => m.key!.toString() !== 'k2', to: () => 'audit' });
    expect(report).toMatchObject({ replayed: 2, passedOver: 1, complete: true });
    expect(kafka.records('audit').map((r) => r.key!.toString())).toEqual(['k1', 'k3']);
    expect(kafka.committed('replay', 'orders.dlt', 0)).toBe(3);
  });

  it('stops a partition at a record it cannot write back, uncommitted, and finishes the others', async () => {
    kafka.append('orders.dlt', [dead(1, 0), { value: 'no headers' }, dead(3, 0)], 0);
    kafka.append('orders.dlt', [dead(4, 1)], 1);
    const report = await run(kafka);
    expect(report).toEqual({
      replayed: 2,
      passedOver: 0,
      failed: [{ partition: 0, offset: 1, reason: `no ${H.ORIGINAL_TOPIC} header` }],
      complete: false,
    });
    expect(kafka.committed('replay', 'orders.dlt', 0)).toBe(1);
    expect(kafka.committed('replay', 'orders.dlt', 1)).toBe(1);
  });

  it('replays at most maxRecords per run', async () => {
    kafka.append('orders.dlt', [dead(1, 0), dead(2, 0), dead(3, 0)], 0);
    expect(await run(kafka, { maxRecords: 2 })).toMatchObject({ replayed: 2, complete: false });
    expect(kafka.committed('replay', 'orders.dlt', 0)).toBe(2);
  });
});
