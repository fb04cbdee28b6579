import { headerGetter, nativeHeaderSetter } from '../../../../lib/observability/tracing/header-carrier.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace-context header carrier', () => {
  it('reads Buffer values of consumed headers as UTF-8 text', () => {
    const headers: Array<[string, Buffer | null]> = [
      ['kafka_correlationId', Buffer.from('c1')],
      ['traceparent', Buffer.from(TP)],
    ];
    expect(headerGetter.get(headers, 'traceparent')).toBe(TP);
    expect(headerGetter.keys(headers)).toEqual(['kafka_correlationId', 'traceparent']);
  });

  it('reads string values, pairs and maps alike, and the first of a repeated name', () => {
    expect(headerGetter.get([['traceparent', TP]], 'traceparent')).toBe(TP);
    expect(headerGetter.get({ traceparent: Buffer.from(TP), baggage: 'k=v' }, 'baggage')).toBe('k=v');
    expect(headerGetter.keys({ traceparent: TP, baggage: 'k=v' })).toEqual(['traceparent', 'baggage']);
    expect(
      headerGetter.get(
        [
          ['traceparent', TP],
          ['traceparent', 'other'],
        ],
        'traceparent',
      ),
    ).toBe(TP);
  });

  it('reads nothing from missing headers, null values or absent names', () => {
    expect(headerGetter.get(null, 'traceparent')).toBeUndefined();
    expect(headerGetter.keys(undefined)).toEqual([]);
    expect(headerGetter.get([['traceparent', null]], 'traceparent')).toBeUndefined();
    expect(headerGetter.get([['x', 'y']], 'traceparent')).toBeUndefined();
  });

  it('adds a header as node-rdkafka takes it, never replacing one the caller set', () => {
    const native: Array<Record<string, string>> = [{ traceparent: 'theirs' }, { a: '1' }];
    nativeHeaderSetter.set(native, 'traceparent', TP);
    nativeHeaderSetter.set(native, 'tracestate', 'k=v');
    expect(native).toEqual([{ traceparent: 'theirs' }, { a: '1' }, { tracestate: 'k=v' }]);
  });
});
