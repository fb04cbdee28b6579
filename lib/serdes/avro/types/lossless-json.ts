/** Marks a BigInt while JSON.stringify carries it as a string. */
const MARK = '\u0000avro-bigint:';
const MARKED = /"\\u0000avro-bigint:(-?\d+)"/g;

/**
 * JSON.stringify that writes BigInts as plain integer literals, the inverse of `parseExactJson` (lib/serdes/registry/exact-json.ts).
 * @internal
 */
export function stringifyJsonLossless(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? MARK + v.toString() : v));
  return text.replace(MARKED, '$1');
}
