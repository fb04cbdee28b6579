import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { ClientKafka, EventPattern, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as kafkajs from 'kafkajs';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { ClientRdKafka, ServerRdKafka } from '../../../lib/index.js';
import { type InMemoryOtel, parentIdOf, registerInMemoryOtel } from '../helpers/in-memory-otel.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const NEST_ECHO = `trace-kjs-echo-${RUN}`;
const OUR_EVENT = `trace-rd-event-${RUN}`;
const OURS = 'nest-rdkafka';
const KAFKAJS = '@opentelemetry/instrumentation-kafkajs';
let ourEvents = 0;

@Controller()
class NestSide {
  @MessagePattern(NEST_ECHO)
  echo(@Payload() d: { n: number }) {
    return { n: d.n };
  }
}

@Controller()
class OurSide {
  @EventPattern<string>(OUR_EVENT)
  event(@Payload() _d: unknown): void {
    ourEvents++;
  }
}

@Module({ controllers: [NestSide] })
class NestSideModule {}

@Module({ controllers: [OurSide] })
class OurSideModule {}

const brokers = () => bootstrapServers().split(',');
const scopeOf = (s: ReadableSpan) => s.instrumentationScope.name;
const one = (spans: ReadableSpan[], name: string, scope: string): ReadableSpan => {
  const found = spans.filter((s) => s.name === name && scopeOf(s) === scope);
  if (found.length !== 1)
    throw new Error(
      `expected one "${name}" from ${scope}, got ${found.length}: ${spans.map((s) => `${s.name} (${scopeOf(s)})`).join(', ')}`,
    );
  return found[0]!;
};

describe("one trace across Nest's kafkajs transport (instrumentation-kafkajs) and ours (real broker)", () => {
  let otel: InMemoryOtel;
  let instrumentation: KafkaJsInstrumentation;
  let nestServer: INestMicroservice;
  let ourServer: INestMicroservice;
  let nestClient: ClientKafka;
  let ourClient: ClientRdKafka;

  beforeAll(async () => {
    otel = registerInMemoryOtel();
    // The instrumentation patches kafkajs when Node's require loads it; jest has its own module loader, so the
    // module Nest imports is patched here by hand (the same patch, on the same Kafka class).
    instrumentation = new KafkaJsInstrumentation({ enabled: false });
    instrumentation.setTracerProvider(otel.provider);
    for (const def of instrumentation.getModuleDefinitions()) def.patch?.(kafkajs);
    await createTopics([NEST_ECHO, `${NEST_ECHO}.reply`, OUR_EVENT]);
    nestServer = (await Test.createTestingModule({ imports: [NestSideModule] }).compile()).createNestMicroservice({
      transport: Transport.KAFKA,
      options: { client: { brokers: brokers(), clientId: `trace-kjs-${RUN}`, logLevel: 1 }, consumer: { groupId: `trace-kjs-${RUN}` } },
      logger: ['error'],
    });
    ourServer = (await Test.createTestingModule({ imports: [OurSideModule] }).compile()).createNestMicroservice({
      strategy: new ServerRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, consumer: { 'group.id': `trace-rd-${RUN}` } }),
      logger: ['error'],
    });
    await Promise.all([nestServer.listen(), ourServer.listen()]);
    nestClient = new ClientKafka({
      client: { brokers: brokers(), clientId: `trace-kjs-c-${RUN}`, logLevel: 1 },
      consumer: { groupId: `trace-kjs-client-${RUN}` },
      producerOnlyMode: true,
    });
    ourClient = new ClientRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, requestTimeoutMs: 30_000 });
    await Promise.all([nestClient.connect(), ourClient.connect()]);
  });

  afterAll(async () => {
    await Promise.allSettled([nestClient?.close(), ourClient?.close()]);
    await Promise.allSettled([ourServer?.close(), nestServer?.close()]);
    for (const def of instrumentation?.getModuleDefinitions() ?? []) def.unpatch?.(kafkajs);
    await otel?.shutdown();
  });

  it("ClientRdKafka -> Nest's ServerKafka -> reply: kafkajs's process span is a child of our send span", async () => {
    const root = trace.getTracer('test').startSpan('caller');
    const reply = await context.with(trace.setSpan(context.active(), root), () => firstValueFrom(ourClient.send(NEST_ECHO, { n: 3 })));
    root.end();
    expect(reply).toEqual({ n: 3 });
    await waitFor(() => otel.spans(`send ${NEST_ECHO}.reply`).length === 1, 10_000, "the kafkajs side's reply span");
    const spans = otel.spans().filter((s) => s.spanContext().traceId === root.spanContext().traceId);
    const request = one(spans, `request ${NEST_ECHO}`, OURS);
    const send = one(spans, `send ${NEST_ECHO}`, OURS);
    const theirProcess = one(spans, `process ${NEST_ECHO}`, KAFKAJS);
    const theirReply = one(spans, `send ${NEST_ECHO}.reply`, KAFKAJS);
    expect(parentIdOf(request)).toBe(root.spanContext().spanId);
    expect(parentIdOf(send)).toBe(request.spanContext().spanId);
    expect(theirProcess.kind).toBe(SpanKind.CONSUMER);
    expect(parentIdOf(theirProcess)).toBe(send.spanContext().spanId);
    expect(parentIdOf(theirReply)).toBe(theirProcess.spanContext().spanId);
  });

  it("Nest's ClientKafka (kafkajs) -> ServerRdKafka: our process span is a child of kafkajs's send span", async () => {
    const root = trace.getTracer('test').startSpan('caller');
    await context.with(trace.setSpan(context.active(), root), () => lastValueFrom(nestClient.emit(OUR_EVENT, { e: 1 })));
    root.end();
    await waitFor(() => ourEvents === 1 && otel.spans(`process ${OUR_EVENT}`).length === 1, 20_000, 'the event on our side');
    const spans = otel.spans().filter((s) => s.spanContext().traceId === root.spanContext().traceId);
    const theirSend = one(spans, `send ${OUR_EVENT}`, KAFKAJS);
    const ourProcess = one(spans, `process ${OUR_EVENT}`, OURS);
    expect(parentIdOf(theirSend)).toBe(root.spanContext().spanId);
    expect(parentIdOf(ourProcess)).toBe(theirSend.spanContext().spanId);
  });
});
