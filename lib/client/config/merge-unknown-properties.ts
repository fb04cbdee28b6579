import type { UnknownProperties, UnknownPropertiesOption } from './client-config.interface.js';

/**
 * The `unknownProperties` bags of config layers merged, later layers winning, for spreading after the layers
 * themselves: a plain spread would let the producer's or consumer's bag replace the shared one whole.
 * @param layers configs in the order they are spread (`client`, then `producer` or `consumer`)
 * @returns `{ unknownProperties }` when any layer has one, else `{}`
 * @internal
 */
export function withUnknownProperties(...layers: (UnknownPropertiesOption | undefined)[]): UnknownPropertiesOption {
  const bags = layers.map((l) => l?.unknownProperties).filter((b): b is UnknownProperties => b !== undefined);
  return bags.length === 0 ? {} : { unknownProperties: Object.assign({}, ...bags) as UnknownProperties };
}
