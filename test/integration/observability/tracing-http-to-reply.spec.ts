import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Controller, Get, type INestApplication, type INestMicroservice, Inject, Module, Param } from '@nestjs/common';
import { ClientsModule, Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
  ATTR_MESSAGING_SYSTEM,
} from '@opentelemetry/semantic-conventions/incubating';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { ClientRdKafka, type RdKafkaContext, ServerRdKafka } from '../../../lib/index.js';
import { type InMemoryOtel, parentIdOf, registerInMemoryOtel } from '../helpers/in-memory-otel.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const PRICE = `trace-price-${RUN}`;
const EVENT = `trace-event-${RUN}`;
const GROUP = `trace-group-${RUN}`;
const ORDERS = 'ORDERS';
const seenHeaders: Array<Record<string, unknown>> = [];

@Controller()
class PriceHandlers {
  @MessagePattern(PRICE)
  price(@Payload() d: { n: number }) {
    // A span of the handler's own: a child of the process span.
    trace.getTracer('app').startSpan('compute price').end();
    return { n: d.n, price: d.n * 10 };
  }

  @EventPattern<string>(EVENT)
  event(@Payload() _d: unknown, @Ctx() ctx: RdKafkaContext): void {
    seenHeaders.push(ctx.getHeaders());
  }
}

@Module({ controllers: [PriceHandlers] })
class ServiceModule {}

@Controller('orders')
class HttpController {
  constructor(@Inject(ORDERS) private readonly client: ClientRdKafka) {}

  @Get(':n')
  quote(@Param('n') n: string) {
    return firstValueFrom(this.client.send(PRICE, { n: Number(n) }));
  }
}

@Module({
  imports: [
    ClientsModule.register([
      {
        name: ORDERS,
        customClass: ClientRdKafka,
        options: { client: { 'bootstrap.servers': bootstrapServers() }, requestTimeoutMs: 20_000 },
      },
    ]),
  ],
  controllers: [HttpController],
})
class HttpModule {}

/**
 * Stands in for the HTTP server instrumentation (@opentelemetry/instrumentation-http is not installed): a
 * SERVER span per request, a child of the caller's W3C headers, active while Nest handles the request.
 */
function httpServerSpans(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const parent = propagation.extract(context.active(), req.headers);
  const span = trace.getTracer('http-stand-in').startSpan(`GET ${req.url ?? ''}`, { kind: SpanKind.SERVER }, parent);
  res.on('finish', () => span.end());
  context.with(trace.setSpan(parent, span), next);
}

const byName = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", got ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
};

describe('one trace from an HTTP request through ClientRdKafka, the handler and the reply (real broker, OpenTelemetry SDK)', () => {
  let otel: InMemoryOtel;
  let service: INestMicroservice;
  let http: INestApplication;
  let port: number;

  beforeAll(async () => {
    otel = registerInMemoryOtel();
    await createTopics([PRICE, `${PRICE}.reply`, EVENT]);
    const compiled = await Test.createTestingModule({ imports: [ServiceModule] }).compile();
    service = compiled.createNestMicroservice({
      strategy: new ServerRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, consumer: { 'group.id': GROUP }, postfixId: '' }),
      logger: ['error'],
    });
    await service.listen();
    http = (await Test.createTestingModule({ imports: [HttpModule] }).compile()).createNestApplication({ logger: ['error'] });
    http.use(httpServerSpans);
    await http.listen(0, '127.0.0.1');
    port = (http.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await Promise.allSettled([http?.close(), service?.close()]);
    await otel?.shutdown();
  });

  it('HTTP -> request -> send -> process -> handler span and reply send: parent/child links and attributes', async () => {
    const root = trace.getTracer('test').startSpan('test caller');
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), root), headers);
    const res = await fetch(`http://127.0.0.1:${port}/orders/4`, { headers, signal: AbortSignal.timeout(30_000) });
    expect(await res.json()).toEqual({ n: 4, price: 40 });
    root.end();
    // The reply's send span ends with its delivery report and the process span when the server settles the
    // record: both may follow the reply the client received.
    await waitFor(
      () => otel.spans(`send ${PRICE}.reply`).length === 1 && otel.spans(`process ${PRICE}`).length === 1,
      10_000,
      'the reply send and process spans',
    );
    const spans = otel.spans().filter((s) => s.spanContext().traceId === root.spanContext().traceId);

    const httpSpan = byName(spans, 'GET /orders/4');
    const request = byName(spans, `request ${PRICE}`);
    const send = byName(spans, `send ${PRICE}`);
    const processSpan = byName(spans, `process ${PRICE}`);
    const handler = byName(spans, 'compute price');
    const replySend = byName(spans, `send ${PRICE}.reply`);
    expect(parentIdOf(httpSpan)).toBe(root.spanContext().spanId);
    expect(parentIdOf(request)).toBe(httpSpan.spanContext().spanId);
    expect(parentIdOf(send)).toBe(request.spanContext().spanId);
    expect(parentIdOf(processSpan)).toBe(send.spanContext().spanId);
    expect(parentIdOf(handler)).toBe(processSpan.spanContext().spanId);
    expect(parentIdOf(replySend)).toBe(processSpan.spanContext().spanId);

    expect([request.kind, send.kind, processSpan.kind, replySend.kind]).toEqual([
      SpanKind.CLIENT,
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
      SpanKind.PRODUCER,
    ]);
    // The request span lasts until the reply arrived: past the delivery of the request and the handler's start.
    expect(ms(request.endTime)).toBeGreaterThanOrEqual(ms(send.endTime));
    expect(ms(request.endTime)).toBeGreaterThanOrEqual(ms(processSpan.startTime));
    expect(send.attributes).toMatchObject({
      [ATTR_MESSAGING_SYSTEM]: 'kafka',
      [ATTR_MESSAGING_DESTINATION_NAME]: PRICE,
      [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: '0',
      [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: Buffer.byteLength(JSON.stringify({ n: 4 })),
    });
    expect(typeof send.attributes[ATTR_MESSAGING_KAFKA_OFFSET]).toBe('number');
    expect(processSpan.attributes).toMatchObject({
      [ATTR_MESSAGING_SYSTEM]: 'kafka',
      [ATTR_MESSAGING_DESTINATION_NAME]: PRICE,
      [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: '0',
      [ATTR_MESSAGING_KAFKA_OFFSET]: send.attributes[ATTR_MESSAGING_KAFKA_OFFSET],
      [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: GROUP,
      [ATTR_MESSAGING_MESSAGE_CONVERSATION_ID]: request.attributes[ATTR_MESSAGING_MESSAGE_CONVERSATION_ID],
    });
    expect(processSpan.status.code).toBe(SpanStatusCode.UNSET);
    expect(replySend.attributes[ATTR_MESSAGING_DESTINATION_NAME]).toBe(`${PRICE}.reply`);
  });

  it("an emitted event: process is a child of send, the caller's headers arrive unaltered next to traceparent", async () => {
    const client = new ClientRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, producerOnlyMode: true });
    try {
      const outer = trace.getTracer('test').startSpan('job');
      await context.with(trace.setSpan(context.active(), outer), () =>
        lastValueFrom(client.emit(EVENT, { key: 'order-9', value: { id: 9 }, headers: { mine: 'kept as is' } })),
      );
      outer.end();
      await waitFor(() => seenHeaders.length === 1 && otel.spans(`process ${EVENT}`).length === 1, 20_000, 'the event handled');
      const send = byName(otel.spans(), `send ${EVENT}`);
      const processSpan = byName(otel.spans(), `process ${EVENT}`);
      expect(parentIdOf(send)).toBe(outer.spanContext().spanId);
      expect(parentIdOf(processSpan)).toBe(send.spanContext().spanId);
      expect(processSpan.spanContext().traceId).toBe(outer.spanContext().traceId);
      expect(processSpan.attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY]).toBe('order-9');
      expect(seenHeaders[0]!.mine).toBe('kept as is');
      expect(String(seenHeaders[0]!.traceparent)).toBe(`00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`);
    } finally {
      await client.close();
    }
  });
});

function ms([seconds, nanos]: [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}
