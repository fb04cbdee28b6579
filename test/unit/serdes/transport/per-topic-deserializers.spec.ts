import type { MessageHandler } from '@nestjs/microservices';
import { Message } from '../../../../lib/client/message.js';
import { JsonSchemaSerializer, MessageField, ProtobufDeserializer, ProtobufSerializer } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/mock-schema-registry.client.js';
import type { RdKafkaContext } from '../../../../lib/transport/context/rdkafka.context.js';
import { RdKafkaParser, type RdKafkaParsedMessage, type RdKafkaParserOptions } from '../../../../lib/transport/serdes/rdkafka.parser.js';
import { handlerDeserializers } from '../../../../lib/transport/serdes/topic-deserializers.js';
import type { HandlingOutcome } from '../../../../lib/transport/server/handler-error.policy.js';
import { HandlerWatchdog } from '../../../../lib/transport/server/handler-watchdog.js';
import { type DispatchTarget, RecordDispatcher } from '../../../../lib/transport/server/record-dispatcher.js';
import { CaptureLogger } from '../../../integration/helpers/capture-logger.js';

const PROTO = 'syntax = "proto3"; package pay; message Payment { int64 cents = 1; string who = 2; }';
const tag = (name: string) => ({ deserialize: (data: Buffer | null) => `${name}:${data?.toString()}` });
const msg = (topic: string, value: Buffer, key: Buffer | null = null) => new Message({ topic, partition: 3, offset: 41, value, key });

describe('RdKafkaParser: deserializers chosen per topic and per handler, for keys and values', () => {
  it("uses the topic's deserializers, else the server-wide ones, else the JSON rules", async () => {
    const parser = new RdKafkaParser({
      valueDeserializer: tag('server'),
      deserializers: { 'a.avro': { value: tag('avro') }, 'b.proto': { key: tag('key') } },
    });
    expect(parser.isSynchronous).toBe(false);
    expect((await parser.parse(msg('a.avro', Buffer.from('1')))).value).toBe('avro:1');
    const b = await parser.parse(msg('b.proto', Buffer.from('2'), Buffer.from('k')));
    expect([b.value, b.key]).toEqual(['server:2', 'key:k']);
    expect((await parser.parse(msg('other', Buffer.from('3')))).value).toBe('server:3');
    const jsonOnly = new RdKafkaParser({ deserializers: { 'a.avro': { value: tag('avro') } } });
    expect((await jsonOnly.parse(msg('c.json', Buffer.from('{"n":1}')))).value).toEqual({ n: 1 });
  });

  it("lets a handler's pattern extras win over the topic's deserializers", async () => {
    const handler = Object.assign(async () => undefined, { extras: { deserializer: tag('handler') } }) as unknown as MessageHandler;
    const options: RdKafkaParserOptions = {
      deserializers: { t: { value: tag('topic'), key: tag('topic-key') } },
      handlerDeserializers: { forTopic: (t) => handlerDeserializers(t === 't' ? handler : null), any: () => true },
    };
    const parsed = await new RdKafkaParser(options).parse(msg('t', Buffer.from('v'), Buffer.from('k')));
    expect([parsed.value, parsed.key]).toEqual(['handler:v', 'topic-key:k']);
  });

  it('stays synchronous (no promise per record) when no deserializer is configured anywhere', () => {
    expect(new RdKafkaParser({ handlerDeserializers: { forTopic: () => undefined, any: () => false } }).isSynchronous).toBe(true);
    expect(new RdKafkaParser({ handlerDeserializers: { forTopic: () => undefined, any: () => true } }).isSynchronous).toBe(false);
  });

  it('one parser reads a Protobuf topic and a JSON Schema topic; the deserializer sees partition and offset', async () => {
    const registry = new MockSchemaRegistryClient();
    const proto = (await new ProtobufSerializer(registry, PROTO).serialize(
      { cents: 2n ** 60n, who: 'ü' },
      { topic: 'payments.proto', field: MessageField.VALUE },
    ))!;
    const seen: unknown[] = [];
    const de = new ProtobufDeserializer(registry);
    const spy = {
      deserialize: (d: Buffer | null, ctx: never) => {
        seen.push(ctx);
        return de.deserialize(d, ctx);
      },
    };
    const parser = new RdKafkaParser({ deserializers: { 'payments.proto': { value: spy } } });
    expect((await parser.parse(msg('payments.proto', proto))).value).toEqual({ cents: 2n ** 60n, who: 'ü' });
    expect((await parser.parse(msg('orders.json', Buffer.from('{"id":1}')))).value).toEqual({ id: 1 });
    expect(seen).toEqual([expect.objectContaining({ topic: 'payments.proto', partition: 3, offset: 41, field: 'value' })]);
  });
});

class FakeTarget implements DispatchTarget {
  readonly routed: unknown[] = [];
  readonly handler = Object.assign(async () => undefined, { isEventHandler: true }) as MessageHandler;
  getHandler(): MessageHandler {
    return this.handler;
  }
  runEvent(): Promise<unknown> {
    return Promise.resolve();
  }
  runRequest(): Promise<void> {
    return Promise.resolve();
  }
  replyError(): Promise<void> {
    return Promise.resolve();
  }
  patternOf(topic: string): string {
    return topic;
  }
  createContext(parsed: RdKafkaParsedMessage): RdKafkaContext {
    this.routed.push(parsed.value);
    throw new Error('routed (no context in unit tests)');
  }
}

describe('RecordDispatcher with per-topic deserializers: an undecodable record goes through the error policy', () => {
  it('logs topic, partition, offset and the schema id, skips the record by the policy and routes nothing', async () => {
    const registry = new MockSchemaRegistryClient();
    // A JSON Schema record on the Protobuf topic: the Protobuf deserializer refuses the JSON schema id.
    const json = (await new JsonSchemaSerializer(registry, { type: 'object' }).serialize(
      { a: 1 },
      { topic: 'payments.proto', field: MessageField.VALUE },
    ))!;
    const target = new FakeTarget();
    const logger = new CaptureLogger();
    const parser = new RdKafkaParser({ deserializers: { 'payments.proto': { value: new ProtobufDeserializer(registry) } } });
    const d = new RecordDispatcher(target, {
      parser,
      logger,
      policy: { mode: 'skip' },
      maxValueBytes: 1_000_000,
      signal: new AbortController().signal,
      watchdog: new HandlerWatchdog({ timeoutMs: 0, warnAfterMs: 0, logger }),
    });
    const outcome: HandlingOutcome = await Promise.resolve(d.process(msg('payments.proto', json)));
    expect(outcome).toBe('skipped');
    expect(target.routed).toEqual([]);
    const lines = logger.of('error', 'ServerRdKafka').map((l) => l.message);
    expect(lines).toEqual([
      expect.stringMatching(/^Could not decode payments\.proto\[3\]@41 .*schema id 1: message index count -62 is not valid/),
    ]);
  });
});
