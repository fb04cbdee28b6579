import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
} from '@opentelemetry/semantic-conventions/incubating';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { KafkaError } from '../../../../lib/errors/index.js';
import { KafkaTracing } from '../../../../lib/observability/tracing/index.js';
import { type InMemoryOtel, parentIdOf, registerInMemoryOtel } from '../../../integration/helpers/in-memory-otel.js';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

function outgoing(headers?: Array<Record<string, string>>) {
  return { key: Buffer.from('k1'), value: Buffer.from('{"a":1}'), partition: null, headers };
}

/** Handles a record in its process span and ends the span as the consume loop does when the outcome settles. */
async function handled(tracing: KafkaTracing, record: ReturnType<typeof consumed>, handle: () => Promise<string>): Promise<string> {
  const outcome = await tracing.process(record, 'group-1', handle);
  tracing.processed(record, outcome === 'done');
  return outcome;
}

function consumed(headers: Array<[string, Buffer | null]> | null) {
  return { topic: 'orders', partition: 2, offset: 41, key: Buffer.from('k1'), value: Buffer.from('{}'), headers };
}

describe('KafkaTracing without a registered tracer provider', () => {
  it('starts no span, adds no header and runs the handler as it is', () => {
    const tracing = KafkaTracing.create(undefined)!;
    expect(tracing).not.toBeNull();
    expect(tracing.tracer()).toBeNull();
    const args = outgoing();
    expect(tracing.send('orders', args)).toBeUndefined();
    expect(args.headers).toBeUndefined();
    expect(tracing.request('orders', 'id')).toBeUndefined();
    const pending = Promise.resolve('done');
    const record = consumed(null);
    expect(tracing.process(record, 'g', () => pending)).toBe(pending);
    tracing.processed(record, true);
  });

  it('is off for good with tracing: false', () => {
    expect(KafkaTracing.create(false)).toBeNull();
  });
});

describe('KafkaTracing with the SDK registered', () => {
  let otel: InMemoryOtel;
  beforeEach(() => {
    otel = registerInMemoryOtel();
  });
  afterEach(() => otel.shutdown());

  it('send: a PRODUCER span under the active one, its context in a traceparent header, ended by the report', () => {
    const tracing = KafkaTracing.create(undefined)!;
    const outer = trace.getTracer('test').startSpan('outer');
    const args = outgoing([{ mine: 'x' }]);
    const mine = args.headers!;
    const span = context.with(trace.setSpan(context.active(), outer), () => tracing.send('orders', args))!;
    span.delivered(null, 1, 77);
    outer.end();
    const [send] = otel.spans('send orders');
    expect(send!.kind).toBe(SpanKind.PRODUCER);
    expect(send!.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(parentIdOf(send!)).toBe(outer.spanContext().spanId);
    expect(send!.attributes).toMatchObject({
      [ATTR_MESSAGING_SYSTEM]: 'kafka',
      [ATTR_MESSAGING_OPERATION_TYPE]: 'send',
      [ATTR_MESSAGING_DESTINATION_NAME]: 'orders',
      [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: '1',
      [ATTR_MESSAGING_KAFKA_OFFSET]: 77,
      [ATTR_MESSAGING_KAFKA_MESSAGE_KEY]: 'k1',
      [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: 7,
    });
    // The caller's header first and unchanged, then the span's own context.
    expect(args.headers![0]).toEqual({ mine: 'x' });
    expect(args.headers).toBe(mine);
    const tp = args.headers!.find((h) => 'traceparent' in h)!.traceparent!;
    expect(tp).toMatch(TRACEPARENT);
    expect(tp.split('-')[2]).toBe(send!.spanContext().spanId);
  });

  it("send: a caller's own traceparent is kept and no trace header of ours is added", () => {
    const tracing = KafkaTracing.create(undefined)!;
    const args = outgoing([{ traceparent: '00-11111111111111111111111111111111-2222222222222222-01' }]);
    tracing.send('orders', args)!.delivered(null, 0, 1);
    expect(args.headers).toEqual([{ traceparent: '00-11111111111111111111111111111111-2222222222222222-01' }]);
  });

  it('send: a failed delivery sets ERROR and error.type to the librdkafka code name', () => {
    const tracing = KafkaTracing.create(undefined)!;
    tracing.send('orders', outgoing())!.delivered(new KafkaError(-192, 'Local: Message timed out'));
    const [send] = otel.spans('send orders');
    expect(send!.status.code).toBe(SpanStatusCode.ERROR);
    expect(send!.attributes[ATTR_ERROR_TYPE]).toBe('_MSG_TIMED_OUT');
  });

  it('process: a CONSUMER child of the context in Buffer headers, active while the handler runs', async () => {
    const tracing = KafkaTracing.create(undefined)!;
    const producer = trace.getTracer('test').startSpan('producer side');
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), producer), carrier);
    producer.end();
    const headers: Array<[string, Buffer]> = Object.entries(carrier).map(([k, v]) => [k, Buffer.from(v)]);
    let activeInHandler: string | undefined;
    const outcome = await handled(tracing, consumed(headers), async () => {
      await Promise.resolve();
      activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
      return 'done';
    });
    expect(outcome).toBe('done');
    const [processSpan] = otel.spans('process orders');
    expect(processSpan!.kind).toBe(SpanKind.CONSUMER);
    expect(processSpan!.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(parentIdOf(processSpan!)).toBe(producer.spanContext().spanId);
    expect(activeInHandler).toBe(processSpan!.spanContext().spanId);
    expect(processSpan!.attributes).toMatchObject({
      [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
      [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: '2',
      [ATTR_MESSAGING_KAFKA_OFFSET]: 41,
      [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: 'group-1',
    });
    expect(processSpan!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('process: failures reported while handling become exception events; a bad outcome fails the span', async () => {
    const tracing = KafkaTracing.create(undefined)!;
    const record = consumed(null);
    await handled(tracing, record, async () => {
      tracing.failed(new TypeError('boom'));
      return 'skipped';
    });
    // The loop may report a record twice (a synchronous outcome, then its settlement): the span ends once.
    tracing.processed(record, true);
    expect(otel.spans('process orders')).toHaveLength(1);
    const [span] = otel.spans('process orders');
    expect(parentIdOf(span!)).toBeUndefined();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('process: a retry that succeeds leaves the span OK with the failed attempt as an event', async () => {
    const tracing = KafkaTracing.create(undefined)!;
    await handled(tracing, consumed(null), async () => (tracing.failed(new Error('first attempt')), 'done'));
    const [span] = otel.spans('process orders');
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes[ATTR_ERROR_TYPE]).toBeUndefined();
    expect(span!.events).toHaveLength(1);
  });

  it('request: a CLIENT span the record send runs under, ended by the final reply or an error', () => {
    const tracing = KafkaTracing.create(undefined)!;
    const ok = tracing.request('sum', 'id-1')!;
    ok.run(() => tracing.send('sum', outgoing()))!.delivered(null, 0, 1);
    ok.reply({ response: 1, isDisposed: false } as { isDisposed: boolean });
    expect(otel.spans('request sum')).toHaveLength(0);
    ok.reply({ isDisposed: true });
    const failed = tracing.request('sum', 'id-2')!;
    failed.reply({ err: new Error('Request timed out') });
    failed.end();
    const [a, b] = otel.spans('request sum');
    expect(a!.kind).toBe(SpanKind.CLIENT);
    expect(parentIdOf(otel.spans('send sum')[0]!)).toBe(a!.spanContext().spanId);
    expect(a!.status.code).toBe(SpanStatusCode.UNSET);
    expect(b!.status.code).toBe(SpanStatusCode.ERROR);
    expect(otel.spans('request sum')).toHaveLength(2);
  });
});
