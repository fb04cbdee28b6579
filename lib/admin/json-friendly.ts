import { ConsumerGroupState, enumName } from './admin.enums.js';

// Admin results are often sent as they are over HTTP (a Nest controller returning them). A Map serializes as
// `{}` and a confluent_kafka enum as a bare number (`"state": 5`); these keep the JS values unchanged and make
// their JSON readable.

/**
 * A Map (the right type for results keyed by name) whose JSON is an object of its entries.
 * @publicApi
 */
export class JsonMap<K, V> extends Map<K, V> {
  /** `{ [String(key)]: value }` for `JSON.stringify`. */
  toJSON(): Record<string, V> {
    return Object.fromEntries([...this].map(([k, v]) => [String(k), v]));
  }
}

/**
 * Gives a group listing or description a `toJSON` (not enumerable, so equality checks do not see it) that
 * writes `state` by name (`"EMPTY"`), while `state` stays the confluent_kafka number in JS.
 * @internal
 */
export function withGroupStateName<T extends { readonly state: ConsumerGroupState }>(group: T): T {
  Object.defineProperty(group, 'toJSON', {
    value: () => ({ ...group, state: enumName(ConsumerGroupState, group.state) }),
    enumerable: false,
  });
  return group;
}
