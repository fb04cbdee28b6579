import { AlterConfigOpType, ConfigSource, assertEnum, enumName } from '../admin.enums.js';

/** Fields of a ConfigEntry besides name and value. */
export interface ConfigEntryInit {
  /** @default ConfigSource.UNKNOWN_CONFIG */
  source?: ConfigSource;
  /** @default false */
  isReadOnly?: boolean;
  /** @default false */
  isDefault?: boolean;
  /** @default false */
  isSensitive?: boolean;
  /** @default false */
  isSynonym?: boolean;
  /** Lower-precedence values of the same config, when asked for. */
  synonyms?: readonly ConfigEntry[];
  /** For incrementalAlterConfigs. @default AlterConfigOpType.SET */
  incrementalOperation?: AlterConfigOpType;
}

/**
 * One config value of a resource, as described by the broker or as an alteration to apply (confluent_kafka
 * `ConfigEntry(name, value, source, is_read_only, is_default, is_sensitive, is_synonym, synonyms,
 * incremental_operation)`).
 * @publicApi
 */
export class ConfigEntry {
  readonly name: string;
  /** The value; null when unset, or hidden because it is sensitive. */
  readonly value: string | null;
  readonly source: ConfigSource;
  readonly isReadOnly: boolean;
  readonly isDefault: boolean;
  readonly isSensitive: boolean;
  readonly isSynonym: boolean;
  readonly synonyms: readonly ConfigEntry[];
  readonly incrementalOperation: AlterConfigOpType;

  /**
   * @param name config name, e.g. `retention.ms`
   * @param value its value (null for DELETE)
   * @throws TypeError on a bad name, value or operation
   */
  constructor(name: string, value: string | null, init: ConfigEntryInit = {}) {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('ConfigEntry: name must be a non-empty string');
    if (value !== null && typeof value !== 'string') throw new TypeError(`ConfigEntry(${name}): value must be a string or null`);
    const op = init.incrementalOperation ?? AlterConfigOpType.SET;
    assertEnum(AlterConfigOpType, op, `ConfigEntry(${name}): incrementalOperation`);
    this.name = name;
    this.value = value;
    this.source = init.source ?? ConfigSource.UNKNOWN_CONFIG;
    this.isReadOnly = init.isReadOnly ?? false;
    this.isDefault = init.isDefault ?? false;
    this.isSensitive = init.isSensitive ?? false;
    this.isSynonym = init.isSynonym ?? false;
    this.synonyms = Object.freeze([...(init.synonyms ?? [])]);
    this.incrementalOperation = op;
  }

  /** JSON with enum names (`"source": "DEFAULT_CONFIG"`) and a sensitive value masked, as toString does. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      value: this.isSensitive ? null : this.value,
      source: enumName(ConfigSource, this.source),
      isReadOnly: this.isReadOnly,
      isDefault: this.isDefault,
      isSensitive: this.isSensitive,
      isSynonym: this.isSynonym,
      synonyms: this.synonyms.map((e) => e.toJSON()),
      incrementalOperation: enumName(AlterConfigOpType, this.incrementalOperation),
    };
  }

  toString(): string {
    return `ConfigEntry(${this.name}="${this.isSensitive ? '******' : String(this.value)}")`;
  }
}
