import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/**
 * Record headers as propagators read them: a consumed record's `[name, Buffer]` pairs, a produce call's
 * `[name, string | Buffer]` pairs or `{ name: value }` map. @internal
 */
export type ReadableHeaders =
  ReadonlyArray<readonly [string, string | Buffer | null | undefined]> | Readonly<Record<string, string | Buffer | null | undefined>>;

/** Header values are text in W3C Trace Context: a Buffer is read as UTF-8. */
function text(v: string | Buffer | null | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : v.toString('utf8');
}

/**
 * Reads trace context from record headers (Buffer or string values). A name given twice yields its first
 * value: propagators take one `traceparent`. @internal
 */
export const headerGetter: TextMapGetter<ReadableHeaders | null | undefined> = {
  keys(carrier) {
    if (!carrier) return [];
    return Array.isArray(carrier) ? carrier.map(([name]) => name) : Object.keys(carrier);
  },
  get(carrier, key) {
    if (!carrier) return undefined;
    if (!Array.isArray(carrier)) return text((carrier as Readonly<Record<string, string | Buffer | null>>)[key]);
    for (const [name, value] of carrier as ReadonlyArray<readonly [string, string | Buffer | null]>) if (name === key) return text(value);
    return undefined;
  },
};

/**
 * Writes trace context into the headers node-rdkafka is about to produce (one `{ name: value }` object per
 * header, a fresh array built from the caller's headers). A name the caller set is left as it is: their own
 * `traceparent` wins, and nothing of theirs is overwritten or altered. @internal
 */
export const nativeHeaderSetter: TextMapSetter<Array<Record<string, string>>> = {
  set(carrier, key, value) {
    for (const h of carrier) if (Object.prototype.hasOwnProperty.call(h, key)) return;
    carrier.push({ [key]: value });
  },
};
