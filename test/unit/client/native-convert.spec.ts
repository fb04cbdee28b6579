import { EventEmitter } from 'node:events';
import { consumeNativeBatch, type NativeBatchSource } from '../../../lib/client/consume-batch.js';
import type { NativeMessage } from '../../../lib/client/native/index.js';
import { isUnreadableRecord, messageFromNative, readRecord } from '../../../lib/client/native-convert.js';
import { ErrorCode } from '../../../lib/errors/index.js';

type NativeHeader = NonNullable<NativeMessage['headers']>[number];

/**
 * A header object as node-rdkafka's C++ builds it (common.cc, Message::ToV8Object): an empty object and one
 * assignment `obj[name] = valueBuffer`, so a `__proto__` name runs Object.prototype's setter.
 */
function nativeHeader(name: string, value: Buffer): NativeHeader {
  const h: NativeHeader = {};
  h[name] = value;
  return h;
}

function nativeMessage(headers: [string, Buffer][] | NativeHeader[], offset = 5): NativeMessage {
  const built = headers.map((h) => (Array.isArray(h) ? nativeHeader(h[0], h[1]) : h));
  return { topic: 't', partition: 1, offset, key: Buffer.from('k'), value: Buffer.from('v'), size: 1, timestamp: 1000, headers: built };
}

const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  '',
  '0',
  'caf\uFFFD',
  'a b',
];

describe('messageFromNative headers', () => {
  it('reads every header name and value as sent, __proto__, constructor, toString, hasOwnProperty and empty included', () => {
    const sent = HOSTILE_NAMES.map((name, i): [string, Buffer] => [name, Buffer.from([i, 0, 0xff, 0x22])]);
    const m = messageFromNative(nativeMessage(sent));
    expect(m.headers).toEqual(sent);
    expect(m.header('__proto__')).toEqual(Buffer.from([0, 0, 0xff, 0x22]));
    expect(m.header('toString')).toEqual(Buffer.from([2, 0, 0xff, 0x22]));
  });

  it('keeps a __proto__ header and its exact value although node-rdkafka made the value the object prototype', () => {
    const h = nativeHeader('__proto__', Buffer.from('proto-value'));
    // The premise: no own key, the value Buffer as prototype (for…in then walks the Buffer's indices).
    expect(Object.keys(h)).toEqual([]);
    const m = messageFromNative(nativeMessage([h, nativeHeader('next', Buffer.from('n'))]));
    expect(m.headers).toEqual([
      ['__proto__', Buffer.from('proto-value')],
      ['next', Buffer.from('n')],
    ]);
  });

  it('keeps repeated names in order and ignores keys a library added to Object.prototype', () => {
    Object.defineProperty(Object.prototype, 'polluted', { value: Buffer.from('x'), enumerable: true, configurable: true });
    try {
      const m = messageFromNative(
        nativeMessage([
          ['h', Buffer.from('1')],
          ['h', Buffer.from('2')],
          ['g', Buffer.alloc(0)],
        ]),
      );
      expect(m.headers).toEqual([
        ['h', Buffer.from('1')],
        ['h', Buffer.from('2')],
        ['g', Buffer.alloc(0)],
      ]);
    } finally {
      delete (Object.prototype as { polluted?: unknown }).polluted;
    }
  });

  it('converts 100,000 headers of one name in linear time', () => {
    const value = Buffer.from('1');
    const headers = Array.from({ length: 100_000 }, () => nativeHeader('x', value));
    const t0 = performance.now();
    const m = messageFromNative(nativeMessage(headers));
    const ms = performance.now() - t0;
    expect(m.headers).toHaveLength(100_000);
    expect(ms).toBeLessThan(1000);
  });
});

describe('readRecord', () => {
  it('turns a native message it cannot convert into a _BAD_MSG error Message naming topic, partition and offset', () => {
    const twoNames = { a: Buffer.from('1'), b: Buffer.from('2') };
    const m = readRecord(nativeMessage([twoNames], 42));
    expect(m.error?.code).toBe(ErrorCode._BAD_MSG);
    expect(m.error?.reason).toMatch(/^Could not read the record at t\[1\]@42: header 0 has 2 names/);
    expect([m.topic, m.partition, m.offset]).toEqual(['t', 1, 42]);
    expect(m.value).toEqual(Buffer.from('v'));
    expect(isUnreadableRecord(m)).toBe(true);
    expect(isUnreadableRecord(readRecord(nativeMessage([['ok', Buffer.from('1')]])))).toBe(false);
  });
});

/** node-rdkafka's consumer as consumeNativeBatch uses it: the callback runs later, as the native one does. */
class FakeNativeConsumer extends EventEmitter implements NativeBatchSource {
  constructor(private readonly batches: NativeMessage[][]) {
    super();
  }
  setDefaultConsumeTimeout(): void {}
  consume(_max: number, cb: (err: unknown, messages: NativeMessage[]) => void): void {
    const batch = this.batches.shift() ?? [];
    setImmediate(() => {
      for (const m of batch) this.emit('data', m);
      cb(null, batch);
    });
  }
}

describe('consumeNativeBatch', () => {
  const bad = (offset: number): NativeMessage => nativeMessage([{ a: Buffer.from('1'), b: Buffer.from('2') }], offset);

  it.each([true, false])('keeps the rest of a batch around a record it cannot convert (EOF events %s)', async (eofEvents) => {
    const native = new FakeNativeConsumer([[nativeMessage([['__proto__', Buffer.from('p')]], 1), bad(2), nativeMessage([], 3)]]);
    const out = await consumeNativeBatch(native, 10, 0, eofEvents);
    expect(out.map((m) => [m.offset, m.error?.code ?? null])).toEqual([
      [1, null],
      [2, ErrorCode._BAD_MSG],
      [3, null],
    ]);
    expect(out[0]!.headers).toEqual([['__proto__', Buffer.from('p')]]);
  });
});
