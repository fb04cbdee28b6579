import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { ATTR_MESSAGING_DESTINATION_PARTITION_ID, ATTR_MESSAGING_KAFKA_OFFSET } from '@opentelemetry/semantic-conventions/incubating';
import { Producer } from '../../../../lib/client/producer.js';
import { ErrorCode } from '../../../../lib/errors/index.js';
import { FakeKafka } from '../../../../lib/testing/index.js';
import { type InMemoryOtel, parentIdOf, registerInMemoryOtel } from '../../../integration/helpers/in-memory-otel.js';

// The client layer's Producer on FakeKafka: every produce path gets its span, ended by the delivery report.
describe('Producer send spans (FakeKafka, OpenTelemetry SDK)', () => {
  let otel: InMemoryOtel;
  let kafka: FakeKafka;
  let producer: Producer;

  beforeEach(async () => {
    otel = registerInMemoryOtel();
    kafka = new FakeKafka().createTopic('t', 2);
    producer = new Producer({}, {}, kafka.binding);
    await producer.connect();
  });
  afterEach(async () => {
    await producer.close(1000);
    await otel.shutdown();
  });

  it('produce() without a callback: the span ends at the report with partition and offset; headers keep theirs', async () => {
    const job = trace.getTracer('test').startSpan('job');
    context.with(trace.setSpan(context.active(), job), () =>
      producer.produce('t', { value: 'v', partition: 1, headers: [['mine', Buffer.from('x')]] }),
    );
    await producer.flush(2000);
    job.end();
    const [send] = otel.spans('send t');
    expect(send!.kind).toBe(SpanKind.PRODUCER);
    expect(parentIdOf(send!)).toBe(job.spanContext().spanId);
    expect(send!.attributes).toMatchObject({ [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: '1', [ATTR_MESSAGING_KAFKA_OFFSET]: 0 });
    const stored = kafka.records('t', 1)[0]!.headers.map(([k, v]) => [k, v.toString()]);
    expect(stored).toEqual([
      ['mine', 'x'],
      ['traceparent', `00-${send!.spanContext().traceId}-${send!.spanContext().spanId}-01`],
    ]);
  });

  it('produceAsync() with a failed delivery: ERROR with the code name, and the caller still gets the error', async () => {
    kafka.inject('delivery', ErrorCode.MSG_SIZE_TOO_LARGE, { topic: 't' });
    await expect(producer.produceAsync('t', { value: 'v' })).rejects.toThrow();
    const [send] = otel.spans('send t');
    expect(send!.status.code).toBe(SpanStatusCode.ERROR);
    expect(send!.attributes[ATTR_ERROR_TYPE]).toBe('MSG_SIZE_TOO_LARGE');
  });

  it('a record produce() refuses at once (queue full): its span ends failed', () => {
    kafka.inject('produce', ErrorCode._QUEUE_FULL, { topic: 't' });
    expect(() => producer.produce('t', { value: 'v' })).toThrow();
    expect(otel.spans('send t')[0]!.attributes[ATTR_ERROR_TYPE]).toBe('_QUEUE_FULL');
  });

  it('tracing: false: no span and no trace header although a provider is registered', async () => {
    const untraced = new Producer({}, { tracing: false }, kafka.binding);
    await untraced.connect();
    try {
      await untraced.produceAsync('t', { value: 'v', partition: 0 });
      expect(otel.spans()).toEqual([]);
      expect(kafka.records('t', 0)[0]!.headers).toEqual([]);
    } finally {
      await untraced.close(1000);
    }
  });
});
