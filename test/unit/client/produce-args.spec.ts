import { KafkaException } from '../../../lib/errors/index.js';
import { toNativeProduceArgs } from '../../../lib/client/produce-args.js';

describe('toNativeProduceArgs', () => {
  it('turns strings into Buffers, -1/0 defaults into librdkafka defaults, and headers into node-rdkafka form', () => {
    const a = toNativeProduceArgs('t', {
      value: 'v',
      key: 'k',
      headers: [
        ['h', 'x'],
        ['h', Buffer.from('y')],
      ],
    });
    expect(a.value).toEqual(Buffer.from('v'));
    expect(a.key).toEqual(Buffer.from('k'));
    expect(a.partition).toBeNull();
    expect(a.timestamp).toBeNull();
    expect(a.headers).toEqual([{ h: 'x' }, { h: 'y' }]);
    expect(toNativeProduceArgs('t', { value: null, partition: 2, timestamp: 5, headers: { a: 'b' } })).toMatchObject({
      value: null,
      partition: 2,
      timestamp: 5,
      headers: [{ a: 'b' }],
    });
  });

  it.each([
    [{ partition: -2 }, /partition/],
    [{ partition: 1.5 }, /partition/],
    [{ timestamp: -1 }, /timestamp/],
    [{ value: 42 }, /value must be a Buffer/],
    [{ headers: { bin: Buffer.from([0xc3, 0x28]) } }, /not valid UTF-8/],
    [{ headers: { nul: 'a\u0000b' } }, /NUL/],
    [{ headers: [['a\u0000b', 'v']] }, /NUL character in its name/],
    [{ headers: [['\ud800x', 'v']] }, /lone surrogate in its name/],
    [{ headers: [['h', 'x\udc00']] }, /lone surrogate/],
    [{ headers: [['n', null]] }, /is null/],
    [{ onDelivery: 'x' }, /onDelivery/],
  ])('rejects %j with a typed error', (record, reason) => {
    expect(() => toNativeProduceArgs('t', record as never)).toThrow(KafkaException);
    expect(() => toNativeProduceArgs('t', record as never)).toThrow(reason);
  });

  it('keeps hostile header names as the names node-rdkafka reads (one own key each, __proto__ included)', () => {
    const names = ['__proto__', 'constructor', 'toString', '', '\u{1F600}'];
    const a = toNativeProduceArgs('t', { headers: names.map((n): [string, string] => [n, 'v']) });
    expect(a.headers!.map((h) => Object.getOwnPropertyNames(h))).toEqual(names.map((n) => [n]));
  });

  it('rejects a topic with a NUL, which node-rdkafka would cut short and send to another topic', () => {
    expect(() => toNativeProduceArgs('replies\u0000.other', {})).toThrow(KafkaException);
    expect(() => toNativeProduceArgs('replies\u0000.other', {})).toThrow(/NUL/);
  });

  it('rejects an empty topic', () => {
    expect(() => toNativeProduceArgs('', {})).toThrow(/topic/);
  });
});
