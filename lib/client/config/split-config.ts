import { ConfigException } from '../../errors/index.js';
import type { ClientCallbacks, KafkaLogger } from './client-config.interface.js';

/** A primitive librdkafka property value, as node-rdkafka passes it on. */
export type NativeValue = string | number | boolean;

/** A config split into what librdkafka gets and what we call ourselves. @internal */
export interface SplitConfig<C> {
  properties: Record<string, NativeValue>;
  callbacks: C;
}

/** node-rdkafka's own callback hooks: we set them; a user value would break our wiring. */
const RESERVED: Readonly<Record<string, string>> = {
  dr_cb: 'on_delivery',
  dr_msg_cb: 'on_delivery',
  rebalance_cb: 'subscribe(topics, { onAssign, onRevoke })',
  offset_commit_cb: 'on_commit',
  event_cb: 'error_cb / stats_cb / throttle_cb / logger',
  log_cb: 'logger',
};

function checkCallback(kind: string, key: string, value: unknown): void {
  if (key === 'logger') {
    const l = value as Partial<KafkaLogger> | null;
    if (!l || typeof l !== 'object' || typeof l.log !== 'function' || typeof l.warn !== 'function' || typeof l.error !== 'function') {
      throw new ConfigException(key, 'expected an object with log, warn and error methods (a Nest LoggerService)');
    }
  } else if (typeof value !== 'function') {
    throw new ConfigException(key, `expected a function for the ${kind} callback, got ${typeof value}`);
  }
}

function nativeValue(key: string, value: unknown): NativeValue {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ConfigException(key, `expected a finite number, got ${value}`);
    return value;
  }
  // A broker list is naturally an array; librdkafka wants it comma-separated.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  if (typeof value === 'function' && key.endsWith('_cb')) {
    throw new ConfigException(
      key,
      'librdkafka C callbacks cannot be set from JavaScript; use error_cb, throttle_cb, stats_cb, logger, on_delivery or on_commit',
    );
  }
  throw new ConfigException(key, `expected a string, number or boolean, got ${Array.isArray(value) ? 'array' : typeof value}`);
}

/** Our escape for keys the typings do not know (`UnknownPropertiesOption`): flattened into the top level. */
const UNKNOWN = 'unknownProperties';

function addUnknownProperties(bag: Record<string, unknown> | undefined, properties: Record<string, NativeValue>): void {
  for (const [key, value] of Object.entries(bag ?? {})) {
    if (value === undefined) continue;
    const where = `${UNKNOWN}.${key}`;
    if (key in RESERVED) throw new ConfigException(where, `set by nest-rdkafka itself; use ${RESERVED[key]}`);
    // Two values for one key would leave which one librdkafka gets to the order of object keys.
    if (key in properties) throw new ConfigException(where, 'also set at the top level of the config; set it once');
    properties[key] = nativeValue(where, value);
  }
}

/**
 * Splits a confluent_kafka-style config into librdkafka properties and our callbacks, checking value types
 * (librdkafka itself checks names and ranges when the client is created). `unknownProperties` is flattened into
 * the top level (a key in both is refused). `default.topic.config` is merged
 * into the top level without overriding explicit keys, and reported through `onDeprecated`.
 * @throws ConfigException naming the first offending property
 * @internal
 */
export function splitConfig<C extends ClientCallbacks>(
  config: object,
  callbackKeys: readonly string[],
  onDeprecated: (message: string) => void,
): SplitConfig<C> {
  if (config === null || typeof config !== 'object') throw new ConfigException('(config)', 'expected an object of librdkafka properties');
  const properties: Record<string, NativeValue> = {};
  const callbacks: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (key in RESERVED) throw new ConfigException(key, `set by nest-rdkafka itself; use ${RESERVED[key]}`);
    if (callbackKeys.includes(key)) {
      checkCallback(key, key, value);
      callbacks[key] = value;
    } else if (key === UNKNOWN) {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new ConfigException(key, 'expected an object of librdkafka properties');
    } else if (key === 'default.topic.config') {
      if (value === null || typeof value !== 'object') throw new ConfigException(key, 'expected an object of topic properties');
      onDeprecated('"default.topic.config" is deprecated: set topic properties at the top level of the config');
      continue;
    } else {
      properties[key] = nativeValue(key, value);
    }
  }
  addUnknownProperties((config as Record<string, unknown>)[UNKNOWN] as Record<string, unknown> | undefined, properties);
  const topicConfig = (config as Record<string, unknown>)['default.topic.config'] as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(topicConfig ?? {})) {
    if (value !== undefined && !(key in properties)) properties[key] = nativeValue(`default.topic.config.${key}`, value);
  }
  return { properties, callbacks: callbacks as C };
}
