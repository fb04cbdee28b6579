import { randomUUID } from 'node:crypto';

/** An integer literal, a number literal of any form, in JSON text (at a value position). */
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * JSON.parse that keeps integer literals beyond ±(2^53-1) exact, as BigInts (JSON.parse would round them:
 * Python, Java and Go write 64-bit integers as exact literals). Other numbers parse as JSON.parse does.
 * Large literals travel through JSON.parse as strings tagged with a marker that does not occur in the text,
 * so no string of the payload can be taken for one.
 * @param onUnsafe called with each unsafe integer literal; may throw to refuse it
 * @throws SyntaxError on invalid JSON
 * @internal
 */
export function parseExactJson(text: string, onUnsafe?: (literal: string) => void): unknown {
  let out = '';
  let copied = 0;
  let mark: string | undefined;
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
      onUnsafe?.(token);
      mark ??= markerFor(text);
      out += `${text.slice(copied, i)}"\\u0000${mark}${token}"`;
      copied = i + token.length;
    }
    i += token.length;
  }
  if (mark === undefined) return JSON.parse(text);
  const m = `\u0000${mark}`;
  return JSON.parse(out + text.slice(copied), (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(m) ? BigInt(value.slice(m.length)) : value,
  );
}

/** A marker that occurs nowhere in the text, so no string of it can be taken for a tagged literal. */
function markerFor(text: string): string {
  let n = 0;
  while (text.includes(`exact-int-${n}:`)) n++;
  return `exact-int-${n}:`;
}

/**
 * JSON.stringify that writes BigInts as exact integer literals, -0 with its sign, and refuses what JSON cannot hold
 * (NaN, ±Infinity: JSON.stringify would write null, a different value).
 * @throws RangeError naming the path of a non-finite number
 * @internal
 */
export function stringifyExactJson(value: unknown): string {
  const big = new Map<string, string>();
  // A per-call nonce: no string of the value can look like a placeholder.
  const nonce = randomUUID();
  let n = 0;
  const text = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`${key || 'the value'} is ${v}: JSON has no NaN or Infinity`);
    // JSON.stringify writes -0 as 0: "-0.0" keeps the sign (JSON.parse and Python read it back as -0).
    const literal = typeof v === 'bigint' ? v.toString() : Object.is(v, -0) ? '-0.0' : undefined;
    if (literal === undefined) return v;
    const tag = `\u0000big-${nonce}-${n++}`;
    big.set(tag, literal);
    return tag;
  });
  if (text === undefined) throw new TypeError('the value has no JSON representation');
  return big.size ? text.replace(new RegExp(`"\\\\u0000big-${nonce}-\\d+"`, 'g'), (t) => big.get(JSON.parse(t) as string)!) : text;
}

/**
 * A copy for validation: ajv's `integer` and `number` checks know numbers only, so BigInts are compared as
 * the nearest number (type checks are exact; a bound within 2^-52 relative of a BigInt is not).
 * @internal
 */
export function forValidation(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.some(hasBigInt) ? value.map(forValidation) : value;
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && hasBigInt(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forValidation(v)]));
  }
  return value;
}

function hasBigInt(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(hasBigInt);
}
