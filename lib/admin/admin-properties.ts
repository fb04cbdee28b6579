import type { NativeValue } from '../client/config/index.js';
import type { OAuthBearerTokenProvider } from '../client/oauth-bearer.js';
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

/**
 * The properties librdkafka takes as they are (no `oauth_cb`, nothing unset), and the `oauth_cb` apart: what a
 * native admin handle is created with.
 * @internal
 */
export function nativeAdminConfigOf(properties: AdminProperties): {
  plain: Record<string, NativeValue>;
  oauth: OAuthBearerTokenProvider | undefined;
} {
  const plain: Record<string, NativeValue> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value !== undefined && typeof value !== 'function') plain[key] = value;
  }
  return { plain, oauth: typeof properties.oauth_cb === 'function' ? properties.oauth_cb : undefined };
}
