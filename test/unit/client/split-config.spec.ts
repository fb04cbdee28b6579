import { ConfigException } from '../../../lib/errors/index.js';
import { splitConfig } from '../../../lib/client/config/index.js';

describe('splitConfig', () => {
  const noWarn = () => {
    throw new Error('unexpected deprecation warning');
  };

  it('separates librdkafka properties from confluent_kafka callbacks', () => {
    const error_cb = () => undefined;
    const logger = { log: () => 0, warn: () => 0, error: () => 0 };
    const s = splitConfig(
      { 'bootstrap.servers': ['a:1', 'b:2'], 'linger.ms': 5, 'enable.idempotence': true, error_cb, logger, skipped: undefined },
      ['error_cb', 'logger'],
      noWarn,
    );
    expect(s.properties).toEqual({ 'bootstrap.servers': 'a:1,b:2', 'linger.ms': 5, 'enable.idempotence': true });
    expect(s.callbacks).toEqual({ error_cb, logger });
  });

  it('merges default.topic.config under explicit keys and reports the deprecation', () => {
    const warnings: string[] = [];
    const s = splitConfig({ acks: 'all', 'default.topic.config': { acks: '1', 'auto.offset.reset': 'earliest' } }, [], (m) =>
      warnings.push(m),
    );
    expect(s.properties).toEqual({ acks: 'all', 'auto.offset.reset': 'earliest' });
    expect(warnings).toEqual([expect.stringMatching(/default.topic.config.*deprecated/)]);
  });

  it('flattens unknownProperties, the escape for keys the typings lack, into the top level', () => {
    const s = splitConfig({ 'linger.ms': 5, unknownProperties: { 'future.property': 'x', 'future.count': 3 } }, [], noWarn);
    expect(s.properties).toEqual({ 'linger.ms': 5, 'future.property': 'x', 'future.count': 3 });
  });

  it.each([
    [{ 'linger.ms': { a: 1 } }, 'linger.ms', /string, number or boolean, got object/],
    [{ 'linger.ms': Number.NaN }, 'linger.ms', /finite number/],
    [{ error_cb: 'x' }, 'error_cb', /expected a function/],
    [{ logger: { log: () => 0 } }, 'logger', /log, warn and error/],
    [{ dr_cb: true }, 'dr_cb', /on_delivery/],
    [{ rebalance_cb: () => 0 }, 'rebalance_cb', /onAssign/],
    [{ socket_cb: () => 0 }, 'socket_cb', /C callbacks/],
    [{ 'linger.ms': 5, unknownProperties: { 'linger.ms': 6 } }, 'unknownProperties.linger.ms', /also set at the top level/],
    [{ unknownProperties: { dr_cb: 'x' } }, 'unknownProperties.dr_cb', /on_delivery/],
    [{ unknownProperties: { 'future.property': {} } }, 'unknownProperties.future.property', /string, number or boolean/],
    [{ unknownProperties: 'x' }, 'unknownProperties', /object of librdkafka properties/],
  ])('rejects %j naming %s', (config, property, reason) => {
    let err: unknown;
    try {
      splitConfig(config as Record<string, unknown>, ['error_cb', 'logger'], () => undefined);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigException);
    expect((err as ConfigException).property).toBe(property);
    expect((err as ConfigException).message).toMatch(reason);
  });
});
