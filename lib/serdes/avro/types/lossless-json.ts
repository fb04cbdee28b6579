/** Marks an integer literal too large for a number while JSON.parse carries it as a string. */
const MARK = '\u0000avro-bigint:';
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
const MARKED = /"\\u0000avro-bigint:(-?\d+)"/g;

/**
 * JSON.parse that keeps integer literals beyond ±(2^53-1) exact, as BigInts. Schema texts carry such
 * literals as long defaults (`"default": 9223372036854775807`), which plain JSON.parse silently rounds
 * (Node 20 has no JSON.parse source access to do this in a reviver).
 * @throws SyntaxError on invalid JSON
 * @internal
 */
export function parseJsonLossless(text: string): unknown {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // '"': skip the string, escapes included
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      i++;
      continue;
    }
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const token = NUMBER.exec(text)?.[0] ?? text[i];
    if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
      out += `${text.slice(copied, i)}${JSON.stringify(MARK + token)}`;
      copied = i + token.length;
    }
    i += token.length;
  }
  return JSON.parse(out + text.slice(copied), (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value,
  );
}

/**
 * JSON.stringify that writes BigInts as plain integer literals, the inverse of `parseJsonLossless`.
 * @internal
 */
export function stringifyJsonLossless(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? MARK + v.toString() : v));
  return text.replace(MARKED, '$1');
}
