import { splitConfig, withUnknownProperties, type ClientConfig, type ProducerConfig } from '../../../lib/client/config/index.js';
import { adminPropertiesOf } from '../../../lib/admin/admin-properties.js';
import { ConfigException } from '../../../lib/errors/index.js';
import { adminConfigOf } from '../../../lib/module/rdkafka-options.resolver.js';

describe('unknownProperties across config layers', () => {
  const noWarn = (): void => undefined;

  it('merges the shared and the role bags, the role winning, where a spread would drop the shared bag', () => {
    const client: ClientConfig = { 'bootstrap.servers': 'a:1', unknownProperties: { 'future.a': 1, 'future.b': 'shared' } };
    const producer: Partial<ProducerConfig> = { 'linger.ms': 5, unknownProperties: { 'future.b': 'producer' } };
    const merged = { ...client, ...producer, ...withUnknownProperties(client, producer) };
    expect(splitConfig(merged, [], noWarn).properties).toEqual({
      'bootstrap.servers': 'a:1',
      'linger.ms': 5,
      'future.a': 1,
      'future.b': 'producer',
    });
  });

  it('adds nothing when no layer has a bag', () => {
    expect(withUnknownProperties({}, undefined)).toEqual({});
  });

  it('gives the admin service the shared bag, which the admin client flattens for its backends', () => {
    const client: ClientConfig = { 'bootstrap.servers': 'a:1', 'client.id': 'app', unknownProperties: { 'future.a': 1 } };
    expect(adminPropertiesOf(adminConfigOf({ client }))).toEqual({ 'bootstrap.servers': 'a:1', 'client.id': 'app', 'future.a': 1 });
  });

  it('refuses an admin key set both in the bag and at the top level, naming it', () => {
    // A key computed at run time (from the environment, say) escapes the type-level refusal of known keys.
    const fromEnvironment: string = 'client.id';
    const call = () => adminPropertiesOf({ 'bootstrap.servers': 'a:1', 'client.id': 'x', unknownProperties: { [fromEnvironment]: 'y' } });
    expect(call).toThrow(ConfigException);
    expect(call).toThrow(expect.objectContaining({ property: 'unknownProperties.client.id' }));
  });
});
