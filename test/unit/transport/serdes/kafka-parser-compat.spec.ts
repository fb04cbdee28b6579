import { Message } from '../../../../lib/client/message.js';
import { decodeKafkaValue, encodeKafkaValue } from '../../../../lib/transport/serdes/kafka-value.codec.js';
import { RdKafkaParser } from '../../../../lib/transport/serdes/rdkafka.parser.js';
import { RdKafkaRequestSerializer } from '../../../../lib/transport/serdes/rdkafka-request.serializer.js';

function msg(value: Buffer | null, headers: [string, Buffer | null][] = [], key: Buffer | null = null): Message {
  return new Message({ topic: 't', partition: 2, offset: 7, value, key, headers, timestamp: [1, 1234] });
}

describe('decoding like Nest KafkaParser', () => {
  it('parses JSON only when the text starts with { or [', () => {
    expect(decodeKafkaValue(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeKafkaValue(Buffer.from('[1,2]'))).toEqual([1, 2]);
    expect(decodeKafkaValue(Buffer.from('15'))).toBe('15');
    expect(decodeKafkaValue(Buffer.from('"x"'))).toBe('"x"');
    expect(decodeKafkaValue(Buffer.from('true'))).toBe('true');
  });

  it('keeps a Buffer whose first byte is 0x00 and maps null to null', () => {
    const framed = Buffer.from([0, 0, 0, 0, 1, 2]);
    expect(decodeKafkaValue(framed)).toBe(framed);
    expect(decodeKafkaValue(null)).toBeNull();
    expect(decodeKafkaValue(Buffer.alloc(0))).toBe('');
  });

  it('leaves invalid JSON as the string and reports it', () => {
    const seen: string[] = [];
    expect(decodeKafkaValue(Buffer.from('{oops'), (e) => seen.push(e.name))).toBe('{oops');
    expect(seen).toEqual(['SyntaxError']);
  });
});

describe('RdKafkaParser', () => {
  it('decodes value, key and headers, keeping place and timestamp', async () => {
    const parsed = await new RdKafkaParser().parse(
      msg(
        Buffer.from('{"n":1}'),
        [
          ['kafka_correlationId', Buffer.from('abc')],
          ['h', Buffer.from('[1]')],
        ],
        Buffer.from('k1'),
      ),
    );
    expect(parsed).toEqual({
      topic: 't',
      partition: 2,
      offset: 7,
      key: 'k1',
      value: { n: 1 },
      headers: { kafka_correlationId: 'abc', h: [1] },
      timestamp: 1234,
      size: 7,
    });
  });

  it('gathers a repeated header name into an array', async () => {
    const parsed = await new RdKafkaParser().parse(
      msg(null, [
        ['x', Buffer.from('a')],
        ['x', Buffer.from('b')],
        ['x', Buffer.from('c')],
      ]),
    );
    expect(parsed.headers.x).toEqual(['a', 'b', 'c']);
  });

  it('keeps the value binary with keepBinary and warns on invalid JSON and empty values', async () => {
    const raw = Buffer.from('{"n":1}');
    expect((await new RdKafkaParser({ keepBinary: true }).parse(msg(raw))).value).toBe(raw);
    const warnings: string[] = [];
    await new RdKafkaParser().parse(msg(Buffer.from('[bad')), (w) => warnings.push(w));
    await new RdKafkaParser().parse(msg(Buffer.alloc(0)), (w) => warnings.push(w));
    await new RdKafkaParser().parse(msg(null), (w) => warnings.push(w));
    expect(warnings).toEqual(['invalid-json', 'empty-value', 'empty-value']);
  });

  it('uses a value deserializer when one is configured', async () => {
    const parser = new RdKafkaParser({ valueDeserializer: { deserialize: (d, ctx) => `${ctx.topic}:${ctx.field}:${d?.length}` } });
    expect((await parser.parse(msg(Buffer.from('abc')))).value).toBe('t:value:3');
  });
});

describe('encoding like Nest KafkaRequestSerializer', () => {
  class WithToString {
    toString(): string {
      return 'custom';
    }
  }
  class Plain {
    a = 1;
  }

  it('encodes objects, arrays, classes, scalars and nullish values', () => {
    expect(encodeKafkaValue({ a: 1 })!.toString()).toBe('{"a":1}');
    expect(encodeKafkaValue([1])!.toString()).toBe('[1]');
    expect(encodeKafkaValue(new WithToString())!.toString()).toBe('custom');
    expect(encodeKafkaValue(new Plain())!.toString()).toBe('{"a":1}');
    expect(encodeKafkaValue(15)!.toString()).toBe('15');
    expect(encodeKafkaValue(false)!.toString()).toBe('false');
    expect(encodeKafkaValue(undefined)).toBeNull();
    expect(encodeKafkaValue(null)).toBeNull();
  });

  it('takes an object with key or value as a record, anything else as the value', async () => {
    const s = new RdKafkaRequestSerializer();
    const rec = await s.serialize({ key: 'k', value: { v: 1 }, headers: { h: 'x' }, partition: 1, timestamp: '1000' }, { pattern: 'p' });
    expect(rec.key!.toString()).toBe('k');
    expect(rec.value!.toString()).toBe('{"v":1}');
    expect(rec.headers).toEqual([['h', Buffer.from('x')]]);
    expect(rec.partition).toBe(1);
    expect(rec.timestamp).toBe(1000);
    const plain = await s.serialize({ other: 1 }, { pattern: 'p' });
    expect(plain.value!.toString()).toBe('{"other":1}');
    expect(plain.key).toBeNull();
    expect(plain.headers).toEqual([]);
  });
});
