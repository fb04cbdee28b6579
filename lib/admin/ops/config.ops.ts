import { brokerError } from '../admin-error.mapper.js';
import { ConfigSource, ResourceType } from '../admin.enums.js';
import type { DescribeConfigsOptions, ValidateOnlyOptions } from '../admin-options.interface.js';
import { assertUniqueList, resultMap, type AdminResults } from '../admin-results.util.js';
import type { KafkaTsIncrementalAlterConfigsResponse } from '../backend/kafka-ts.types.js';
import { JsonMap } from '../json-friendly.js';
import { ConfigEntry } from '../types/config-entry.js';
import { ConfigResource } from '../types/config-resource.js';
import { requestTimeout, type AdminBackends } from './admin-backends.js';

interface KafkaJsConfigEntry {
  configName: string;
  configValue: string | null;
  readOnly?: boolean;
  isDefault?: boolean;
  configSource?: number;
  isSensitive?: boolean;
  configSynonyms?: { configName: string; configValue: string | null; configSource: number }[];
}

interface KafkaJsConfigResource {
  errorCode: number;
  errorMessage?: string | null;
  configEntries: KafkaJsConfigEntry[];
}

function checkResources(resources: readonly ConfigResource[], what: string): void {
  assertUniqueList(resources, what, (r) => {
    if (!(r instanceof ConfigResource)) throw new TypeError(`${what}: expected ConfigResource instances`);
    return r.toString();
  });
}

/** A kafkajs config entry as a ConfigEntry. @internal */
export function toConfigEntry(e: KafkaJsConfigEntry): ConfigEntry {
  const source = (e.configSource ?? ConfigSource.UNKNOWN_CONFIG) as ConfigSource;
  return new ConfigEntry(e.configName, e.configValue ?? null, {
    source,
    isReadOnly: e.readOnly ?? false,
    isDefault: e.isDefault ?? source === ConfigSource.DEFAULT_CONFIG,
    isSensitive: e.isSensitive ?? false,
    synonyms: (e.configSynonyms ?? []).map(
      (s) =>
        new ConfigEntry(s.configName, s.configValue ?? null, {
          source: s.configSource as ConfigSource,
          isSynonym: true,
          isSensitive: e.isSensitive ?? false,
        }),
    ),
  });
}

/** describeConfigs: per resource, a map of config name → ConfigEntry. @internal */
export function describeConfigs(
  b: AdminBackends,
  resources: readonly ConfigResource[],
  options: DescribeConfigsOptions = {},
): AdminResults<ConfigResource, Map<string, ConfigEntry>> {
  checkResources(resources, 'describeConfigs');
  return resultMap(
    resources,
    async (r) => {
      const answer = await (
        await b.kafkajs.ready('describeConfigs')
      ).describeConfigs({
        resources: [{ type: r.restype as number, name: r.name }],
        includeSynonyms: options.includeSynonyms ?? false,
      });
      const res = answer.resources[0] as unknown as KafkaJsConfigResource;
      const err = brokerError(res.errorCode, res.errorMessage);
      if (err) throw err;
      return new JsonMap(res.configEntries.map((e) => [e.configName, toConfigEntry(e)] as const));
    },
    requestTimeout(b, options),
    'describeConfigs',
  );
}

/**
 * alterConfigs (deprecated in Kafka, as in confluent_kafka): replaces the resource's dynamic configs with its
 * `setConfig()` values; configs not listed return to their defaults.
 * @internal
 */
export function alterConfigs(
  b: AdminBackends,
  resources: readonly ConfigResource[],
  options: ValidateOnlyOptions = {},
): AdminResults<ConfigResource, void> {
  checkResources(resources, 'alterConfigs');
  return resultMap(
    resources,
    async (r) => {
      const answer = await (
        await b.kafkajs.ready('alterConfigs')
      ).alterConfigs({
        validateOnly: options.validateOnly ?? false,
        resources: [
          { type: r.restype as number, name: r.name, configEntries: [...r.setConfigs].map(([name, value]) => ({ name, value })) },
        ],
      });
      const res = answer.resources[0] as unknown as KafkaJsConfigResource;
      const err = brokerError(res.errorCode, res.errorMessage);
      if (err) throw err;
    },
    requestTimeout(b, options),
    'alterConfigs',
  );
}

/** incrementalAlterConfigs: SET/DELETE/APPEND/SUBTRACT per config, through kafka-ts. @internal */
export function incrementalAlterConfigs(
  b: AdminBackends,
  resources: readonly ConfigResource[],
  options: ValidateOnlyOptions = {},
): AdminResults<ConfigResource, void> {
  checkResources(resources, 'incrementalAlterConfigs');
  for (const r of resources) {
    if (r.incrementalConfigs.length === 0)
      throw new TypeError(`incrementalAlterConfigs: ${r.toString()} has no addIncrementalConfig() entries`);
  }
  return resultMap(
    resources,
    async (r) => {
      const body = {
        validateOnly: options.validateOnly ?? false,
        resources: [
          {
            resourceType: r.restype,
            resourceName: r.name,
            configs: r.incrementalConfigs.map((e) => ({ name: e.name, configOperation: e.incrementalOperation, value: e.value })),
          },
        ],
      };
      // Broker configs are only accepted by the broker they belong to.
      const node = r.restype === ResourceType.BROKER ? Number(r.name) : undefined;
      const answer = await b.kafkaTs.send<KafkaTsIncrementalAlterConfigsResponse>(
        'incrementalAlterConfigs',
        'INCREMENTAL_ALTER_CONFIGS',
        body,
        node,
      );
      const res = answer.responses[0];
      const err = res ? brokerError(res.errorCode, res.errorMessage) : null;
      if (err) throw err;
    },
    requestTimeout(b, options),
    'incrementalAlterConfigs',
  );
}
