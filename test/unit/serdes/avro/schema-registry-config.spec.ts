import { ConfigException } from '../../../../lib/index.js';
import { SchemaRegistryClient } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/index.js';
import { splitSchemaRegistryConfig } from '../../../../lib/serdes/avro/schema-registry-config.util.js';

describe('schema.registry.* keys in an Avro producer/consumer configuration', () => {
  it('takes them out of the librdkafka configuration and builds a registry client from them', () => {
    const { clientConfig, registry } = splitSchemaRegistryConfig(
      {
        'bootstrap.servers': '127.0.0.1:1',
        'linger.ms': 5,
        'schema.registry.url': 'http://127.0.0.1:2/apis/ccompat/v7',
        'schema.registry.basic.auth.user.info': 'u:p',
      },
      undefined,
    );
    expect(clientConfig).toEqual({ 'bootstrap.servers': '127.0.0.1:1', 'linger.ms': 5 });
    expect(registry).toBeInstanceOf(SchemaRegistryClient);
  });

  it('uses a given client instead, and refuses both or neither', () => {
    const mock = new MockSchemaRegistryClient();
    expect(splitSchemaRegistryConfig({ 'bootstrap.servers': 'x' }, mock).registry).toBe(mock);
    expect(() => splitSchemaRegistryConfig({ 'schema.registry.url': 'http://x' }, mock)).toThrow(/not both/);
    const err = (() => {
      try {
        splitSchemaRegistryConfig({ 'bootstrap.servers': 'x' }, undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigException);
    expect((err as ConfigException).property).toBe('schema.registry.url');
  });

  it('passes the registry keys on: a bad URL or conflicting auth fails at construction', () => {
    expect(() => splitSchemaRegistryConfig({ 'schema.registry.url': 'nope' }, undefined)).toThrow(/not a valid URL/);
    expect(() =>
      splitSchemaRegistryConfig(
        { 'schema.registry.url': 'http://x', 'schema.registry.basic.auth.user.info': 'a:b', 'schema.registry.bearer.auth.token': 't' },
        undefined,
      ),
    ).toThrow(/cannot be combined/);
  });
});
