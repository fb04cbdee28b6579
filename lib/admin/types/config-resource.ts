import { AlterConfigOpType, ResourceType, assertEnum, enumName } from '../admin.enums.js';
import { ConfigEntry } from './config-entry.js';

/**
 * A resource whose configs are described or altered (confluent_kafka `ConfigResource(restype, name,
 * set_config=None, incremental_configs=None)`). Build alterations with `setConfig()` (alterConfigs: the full
 * set of dynamic configs) or `addIncrementalConfig()` (incrementalAlterConfigs).
 * @publicApi
 */
export class ConfigResource {
  readonly restype: ResourceType;
  readonly name: string;
  readonly #setConfigs = new Map<string, string>();
  readonly #incremental: ConfigEntry[] = [];

  /**
   * @param restype `ResourceType.TOPIC` or `ResourceType.BROKER` (name = broker id)
   * @param name topic name or broker id
   * @param setConfigs initial `setConfig()` values
   * @throws TypeError on an unsupported type or an empty name
   */
  constructor(restype: ResourceType, name: string, setConfigs: Record<string, string> = {}) {
    assertEnum(ResourceType, restype, 'ConfigResource: restype');
    if (restype !== ResourceType.TOPIC && restype !== ResourceType.BROKER) {
      throw new TypeError(`ConfigResource: restype ${enumName(ResourceType, restype)} has no configs; use TOPIC or BROKER`);
    }
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('ConfigResource: name must be a non-empty string');
    this.restype = restype;
    this.name = name;
    for (const [k, v] of Object.entries(setConfigs)) this.setConfig(k, v);
  }

  /** Sets a config for `alterConfigs` (which replaces every dynamic config of the resource). */
  setConfig(name: string, value: string): this {
    if (typeof name !== 'string' || name.length === 0 || typeof value !== 'string') {
      throw new TypeError(`ConfigResource(${this.name}).setConfig: name and value must be strings`);
    }
    this.#setConfigs.set(name, value);
    return this;
  }

  /** Adds an alteration for `incrementalAlterConfigs` (its `incrementalOperation` says SET/DELETE/APPEND/SUBTRACT). */
  addIncrementalConfig(entry: ConfigEntry): this {
    if (!(entry instanceof ConfigEntry)) throw new TypeError(`ConfigResource(${this.name}).addIncrementalConfig: expected a ConfigEntry`);
    if (entry.incrementalOperation !== AlterConfigOpType.DELETE && entry.value === null) {
      throw new TypeError(
        `ConfigResource(${this.name}): ${entry.name} needs a value for ${enumName(AlterConfigOpType, entry.incrementalOperation)}`,
      );
    }
    this.#incremental.push(entry);
    return this;
  }

  /** The `setConfig()` values. */
  get setConfigs(): ReadonlyMap<string, string> {
    return this.#setConfigs;
  }

  /** The `addIncrementalConfig()` entries. */
  get incrementalConfigs(): readonly ConfigEntry[] {
    return this.#incremental;
  }

  /** JSON with the resource type's name (`"restype": "TOPIC"`). */
  toJSON(): Record<string, unknown> {
    return { restype: enumName(ResourceType, this.restype), name: this.name };
  }

  toString(): string {
    return `ConfigResource(${enumName(ResourceType, this.restype)},${this.name})`;
  }
}
