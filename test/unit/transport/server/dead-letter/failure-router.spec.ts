import { Message, type MessageHeader } from '../../../../../lib/client/message.js';
import { TIMESTAMP_CREATE_TIME } from '../../../../../lib/client/offsets.js';
import { Producer } from '../../../../../lib/client/producer.js';
import { ErrorCode, ValueDeserializationError } from '../../../../../lib/errors/index.js';
import { FakeKafka } from '../../../../../lib/testing/index.js';
import { DeadLetterHeaders as H } from '../../../../../lib/transport/server/dead-letter/dead-letter.headers.js';
import type { DeadLetterOptions, RetryTopicsOptions } from '../../../../../lib/transport/server/dead-letter/dead-letter.options.js';
import { FailureRouter } from '../../../../../lib/transport/server/dead-letter/failure-router.js';
import { CaptureLogger } from '../../../../integration/helpers/capture-logger.js';

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
}

const TS = 1_700_000_000_123;

function record(topic = 'orders', headers: MessageHeader[] = [['trace', Buffer.from('t-1')]], offset = 7): Message {
  return new Message({
    topic,
    partition: 2,
    offset,
    key: Buffer.from([0xff, 0x00, 0x01]),
    value: Buffer.from([0x00, 0xc3, 0x28, 0x7b]),
    headers,
    timestamp: [TIMESTAMP_CREATE_TIME, TS],
  });
}

/** A router on a FakeKafka producer with the usual topics. */
async function setup(o: { deadLetter?: DeadLetterOptions; retryTopics?: RetryTopicsOptions; signal?: AbortSignal } = {}) {
  const kafka = new FakeKafka();
  for (const t of ['orders', 'orders.dlt', 'orders.retry.1', 'orders.retry.2', 'all.dlt']) kafka.createTopic(t, 3);
  const producer = new Producer({ 'linger.ms': 0 }, {}, kafka.binding);
  await producer.connect();
  const logger = new CaptureLogger();
  const router = new FailureRouter(() => producer, {
    deadLetter: o.deadLetter,
    retryTopics: o.retryTopics,
    sourceTopics: ['orders'],
    groupId: 'g-server',
    logger,
    signal: o.signal ?? new AbortController().signal,
  });
  const headersOf = (topic: string, i = 0): Record<string, string> =>
    Object.fromEntries(kafka.records(topic).length ? all(kafka, topic)[i]!.headers.map(([k, v]) => [k, v.toString()]) : []);
  return { kafka, producer, logger, router, headersOf, close: () => producer.close(1000) };
}

function all(kafka: FakeKafka, topic: string) {
  return [0, 1, 2].flatMap((p) => kafka.records(topic, p));
}

describe('FailureRouter', () => {
  it('writes a record to <topic>.dlt byte for byte, its headers kept and what happened added', async () => {
    const s = await setup();
    try {
      const out = await s.router.route({ raw: record(), error: new PaymentDeclined('card expired'), attempts: 3 });
      expect(out).toBe('dead-lettered');
      const [dl] = all(s.kafka, 'orders.dlt');
      expect(dl!.key).toEqual(Buffer.from([0xff, 0x00, 0x01]));
      expect(dl!.value).toEqual(Buffer.from([0x00, 0xc3, 0x28, 0x7b]));
      expect(dl!.headers.map(([k, v]) => [k, v.toString()])).toEqual([
        ['trace', 't-1'],
        [H.ORIGINAL_TOPIC, 'orders'],
        [H.ORIGINAL_PARTITION, '2'],
        [H.ORIGINAL_OFFSET, '7'],
        [H.ORIGINAL_TIMESTAMP, String(TS)],
        [H.ORIGINAL_GROUP, 'g-server'],
        [H.ERROR_CLASS, 'PaymentDeclined'],
        [H.ERROR_MESSAGE, 'card expired'],
        [H.FAILURE, 'handler'],
        [H.ATTEMPTS, '3'],
      ]);
      expect(s.logger.of('warn').map((l) => l.message)).toEqual([
        'Sent orders[2]@7 to dead-letter topic orders.dlt (handler failed, 3 attempts)',
      ]);
    } finally {
      await s.close();
    }
  });

  it('carries a header value that cannot be produced as text base64-encoded under a marked name', async () => {
    const s = await setup();
    try {
      const binary = Buffer.from([0x00, 0xff, 0x10]);
      await s.router.route({ raw: record('orders', [['bin', binary]]), error: new Error('x'), attempts: 1 });
      const h = s.headersOf('orders.dlt');
      expect(h.bin).toBeUndefined();
      expect(Buffer.from(h[`${H.BASE64_PREFIX}bin`]!, 'base64')).toEqual(binary);
    } finally {
      await s.close();
    }
  });

  it('cuts a long error message to maxErrorMessageBytes and keeps it valid text', async () => {
    const s = await setup({ deadLetter: { maxErrorMessageBytes: 10 } });
    try {
      await s.router.route({ raw: record(), error: new Error('ééééééééé\0'), attempts: 1 });
      const message = s.headersOf('orders.dlt')[H.ERROR_MESSAGE]!;
      expect(Buffer.byteLength(message)).toBeLessThanOrEqual(10);
      expect(message).toBe('ééé…');
    } finally {
      await s.close();
    }
  });

  it('a topic option names the dead-letter topic; null from the function skips the record', async () => {
    const one = await setup({ deadLetter: { topic: 'all.dlt' } });
    const none = await setup({ deadLetter: { topic: () => null } });
    try {
      expect(await one.router.route({ raw: record(), error: new Error('x'), attempts: 1 })).toBe('dead-lettered');
      expect(all(one.kafka, 'all.dlt')).toHaveLength(1);
      expect(await none.router.route({ raw: record(), error: new Error('x'), attempts: 1 })).toBe('skipped');
      expect(all(none.kafka, 'orders.dlt')).toHaveLength(0);
      expect(none.logger.of('error').map((l) => l.message)).toEqual([
        'Skipped orders[2]@7: no dead-letter topic for it (after 1 attempts)',
      ]);
    } finally {
      await Promise.all([one.close(), none.close()]);
    }
  });

  it('a write that keeps failing is retried, then reported as stopped (the record stays uncommitted)', async () => {
    const s = await setup({ deadLetter: { writeRetries: 1 } });
    try {
      s.kafka.inject('delivery', ErrorCode.TOPIC_AUTHORIZATION_FAILED, { topic: 'orders.dlt', count: 2 });
      const started = Date.now();
      expect(await s.router.route({ raw: record(), error: new Error('x'), attempts: 1 })).toBe('stopped');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(s.logger.of('error').map((l) => l.message)).toEqual([
        expect.stringMatching(
          /^Could not write orders\[2\]@7 to orders\.dlt \(2 tries, last: .*TOPIC_AUTHORIZATION_FAILED.*resume\(\) tries again$/,
        ),
      ]);
      // A third try would have succeeded: two faults, two tries.
      expect(all(s.kafka, 'orders.dlt')).toHaveLength(0);
    } finally {
      await s.close();
    }
  });

  it('a write retry pending when the server closes ends as aborted', async () => {
    const closing = new AbortController();
    const s = await setup({ deadLetter: { writeRetries: 3 }, signal: closing.signal });
    try {
      s.kafka.inject('delivery', ErrorCode.TOPIC_AUTHORIZATION_FAILED, { topic: 'orders.dlt' });
      const out = s.router.route({ raw: record(), error: new Error('x'), attempts: 1 });
      setTimeout(() => closing.abort(), 50);
      expect(await out).toBe('aborted');
    } finally {
      await s.close();
    }
  });

  describe('with retry topics', () => {
    const retryTopics: RetryTopicsOptions = { delaysMs: [1000, 5000] };

    it('names one retry topic per delay for each source topic, served by the source', async () => {
      const s = await setup({ retryTopics });
      try {
        expect(s.router.retryTopics).toEqual(['orders.retry.1', 'orders.retry.2']);
        expect(s.router.sourceOf('orders.retry.2')).toBe('orders');
        expect(s.router.sourceOf('orders')).toBeUndefined();
      } finally {
        await s.close();
      }
    });

    it('sends a failed record through each retry topic with its due time, then to the dead-letter topic', async () => {
      const s = await setup({ retryTopics });
      try {
        const before = Date.now();
        expect(await s.router.route({ raw: record(), error: new Error('first'), attempts: 1 })).toBe('forwarded');
        const [r1] = all(s.kafka, 'orders.retry.1');
        const h1 = Object.fromEntries(r1!.headers.map(([k, v]) => [k, v.toString()]));
        expect(Number(h1[H.RETRY_DUE_AT])).toBeGreaterThanOrEqual(before + 1000);
        expect(h1[H.ATTEMPTS]).toBe('1');
        expect(r1!.value).toEqual(record().value);

        // Consumed from retry.1 (at offset 0 there) and failed again: on to retry.2, originals unchanged.
        const fromR1 = new Message({
          topic: 'orders.retry.1',
          partition: r1!.partition,
          offset: 0,
          key: r1!.key,
          value: r1!.value,
          headers: r1!.headers.map(([k, v]): MessageHeader => [k, v]),
        });
        expect(s.router.notDueUntil(fromR1)).toBe(Number(h1[H.RETRY_DUE_AT]));
        expect(await s.router.route({ raw: fromR1, error: new Error('second'), attempts: 1 })).toBe('forwarded');
        const [r2] = all(s.kafka, 'orders.retry.2');
        const h2 = Object.fromEntries(r2!.headers.map(([k, v]) => [k, v.toString()]));
        expect(h2).toMatchObject({
          [H.ORIGINAL_TOPIC]: 'orders',
          [H.ORIGINAL_OFFSET]: '7',
          [H.ORIGINAL_PARTITION]: '2',
          [H.ATTEMPTS]: '2',
        });
        expect(h2[H.ERROR_MESSAGE]).toBe('second');
        expect(r2!.headers.filter(([k]) => k === H.ORIGINAL_TOPIC)).toHaveLength(1);

        const fromR2 = new Message({
          topic: 'orders.retry.2',
          partition: 0,
          offset: 0,
          value: r2!.value,
          headers: r2!.headers.map(([k, v]): MessageHeader => [k, v]),
        });
        expect(await s.router.route({ raw: fromR2, error: new Error('third'), attempts: 1 })).toBe('dead-lettered');
        const h3 = s.headersOf('orders.dlt');
        expect(h3).toMatchObject({ [H.ORIGINAL_TOPIC]: 'orders', [H.ORIGINAL_OFFSET]: '7', [H.ATTEMPTS]: '3', [H.ERROR_MESSAGE]: 'third' });
        expect(h3[H.RETRY_DUE_AT]).toBeUndefined();
        expect(h3.trace).toBe('t-1');
      } finally {
        await s.close();
      }
    });

    it.each<[string, RetryTopicsOptions, Error]>([
      ['notRetryOn classes', { notRetryOn: [PaymentDeclined] }, new PaymentDeclined('no')],
      ['retryOn classes the error is not of', { retryOn: [TypeError] }, new Error('no')],
      ['a retryOn predicate saying no', { retryOn: (e) => !(e instanceof PaymentDeclined) }, new PaymentDeclined('no')],
      [
        'a retryOn predicate that throws',
        {
          retryOn: () => {
            throw new Error('bug');
          },
        },
        new Error('no'),
      ],
    ])('an error excluded by %s goes straight to the dead-letter topic', async (_name, opts, error) => {
      const s = await setup({ retryTopics: { ...retryTopics, ...opts } });
      try {
        expect(await s.router.route({ raw: record(), error, attempts: 1 })).toBe('dead-lettered');
        expect(all(s.kafka, 'orders.retry.1')).toHaveLength(0);
      } finally {
        await s.close();
      }
    });

    it('perTopic settings win for their topic: own delays, own retryOn, or no retry topics at all', async () => {
      const own = await setup({ retryTopics: { ...retryTopics, perTopic: { orders: { delaysMs: [50], retryOn: [PaymentDeclined] } } } });
      const off = await setup({ retryTopics: { ...retryTopics, perTopic: { orders: false } } });
      try {
        expect(own.router.retryTopics).toEqual(['orders.retry.1']);
        const before = Date.now();
        expect(await own.router.route({ raw: record(), error: new PaymentDeclined('later'), attempts: 1 })).toBe('forwarded');
        const due = Number(own.headersOf('orders.retry.1')[H.RETRY_DUE_AT]);
        expect(due).toBeGreaterThanOrEqual(before + 50);
        expect(due).toBeLessThan(before + 1000);
        expect(await own.router.route({ raw: record(), error: new Error('not retried here'), attempts: 1 })).toBe('dead-lettered');
        expect(off.router.retryTopics).toEqual([]);
        expect(await off.router.route({ raw: record(), error: new Error('x'), attempts: 1 })).toBe('dead-lettered');
      } finally {
        await Promise.all([own.close(), off.close()]);
      }
    });

    it('retries an error of a retryOn class through the retry topics', async () => {
      const s = await setup({ retryTopics: { ...retryTopics, retryOn: [PaymentDeclined] } });
      try {
        expect(await s.router.route({ raw: record(), error: new PaymentDeclined('later'), attempts: 1 })).toBe('forwarded');
      } finally {
        await s.close();
      }
    });

    it('undecodable records and requests skip the retry topics; requests: false leaves requests out', async () => {
      const s = await setup({ retryTopics });
      const noRequests = await setup({ retryTopics, deadLetter: { requests: false } });
      try {
        const bad = new ValueDeserializationError('not JSON', record());
        expect(await s.router.route({ raw: record(), error: bad, attempts: 1, failure: 'undecodable' })).toBe('dead-lettered');
        expect(s.headersOf('orders.dlt')).toMatchObject({ [H.FAILURE]: 'undecodable', [H.ERROR_CLASS]: 'ValueDeserializationError' });
        expect(await s.router.route({ raw: record(), error: new Error('x'), attempts: 1, request: true })).toBe('dead-lettered');
        expect(all(s.kafka, 'orders.retry.1')).toHaveLength(0);
        expect(await noRequests.router.route({ raw: record(), error: new Error('x'), attempts: 1, request: true })).toBe('skipped');
      } finally {
        await Promise.all([s.close(), noRequests.close()]);
      }
    });

    it('a record of a retry topic without a due time, or past it, is due now', async () => {
      const s = await setup({ retryTopics });
      try {
        expect(s.router.notDueUntil(record('orders.retry.1', []))).toBeUndefined();
        expect(s.router.notDueUntil(record('orders.retry.1', [[H.RETRY_DUE_AT, Buffer.from(String(Date.now() - 1))]]))).toBeUndefined();
        // Only retry topics wait: the header on a source topic's record means nothing.
        expect(s.router.notDueUntil(record('orders', [[H.RETRY_DUE_AT, Buffer.from(String(Date.now() + 60_000))]]))).toBeUndefined();
      } finally {
        await s.close();
      }
    });
  });
});
