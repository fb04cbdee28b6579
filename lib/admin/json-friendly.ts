// Admin results are often sent as they are over HTTP (a Nest controller returning them). A Map serializes as
// `{}`; JsonMap keeps the JS value a Map and makes its JSON readable. (Enums serialize by name on their own:
// ConsumerGroupState and ConsumerGroupType are strings, the numeric ones' value types have a toJSON.)

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
