import { ConfigException } from '../errors/index.js';
import type { AdminClientConfig, AdminProperties } from './admin-options.interface.js';

/**
 * The admin configuration with `unknownProperties` flattened into the top level, as the backends read it.
 * @throws ConfigException when a key is both in `unknownProperties` and at the top level
 * @internal
 */
export function adminPropertiesOf(config: AdminClientConfig): AdminProperties {
  const { unknownProperties, ...known } = config;
  const top: Record<string, unknown> = known;
  for (const key of Object.keys(unknownProperties ?? {})) {
    // Two values for one key would leave which one the backends get to the order of object keys.
    if (top[key] !== undefined)
      throw new ConfigException(`unknownProperties.${key}`, 'also set at the top level of the config; set it once');
  }
  return { ...unknownProperties, ...known };
}
