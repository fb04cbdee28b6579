import { inspect } from 'node:util';

/** What a secret prints as, everywhere. @internal */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are secrets: librdkafka's `*.password`, `*.secret`, `ssl.key.pem`, `ssl.keystore.*`,
 * `ssl_engine_callback_data`, the `sasl.oauthbearer.*` secrets (client secret, assertion private key, config,
 * tokens), JAAS strings, and the Schema Registry's `basic.auth.user.info` / `bearer.auth.token` /
 * Authorization headers. Over-matching costs a less readable dump; under-matching leaks a credential.
 */
const SECRET_KEY =
  /(password|secret|token|private|credential|user\.?info|authorization|jaas|sasl\.oauthbearer\.config|ssl\.key\.pem|ssl\.keystore|ssl_engine_callback_data|basicauth)/i;
/**
 * Keys that merely name where something lives (`sasl.oauthbearer.token.endpoint.url`): printed, with any user
 * info removed. A keystore's location is masked all the same (`ssl.keystore.*` as a whole is secret).
 */
const LOCATION_KEY = /^(?!ssl\.keystore\.).*(\.url|\.location|endpoint)$/i;
/** `key=value` / `key: value` pairs with a secret-looking key inside a log line. */
const SECRET_PAIR = /\b([\w.-]*(?:password|secret|token|credential|user\.info)[\w.-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;}\]]+)/gi;
/** `scheme://user:password@` in a URL, parseable or not. */
const URL_USER_INFO = /(\b[a-z][\w+.-]*:\/\/)[^/?#\s@]*@/gi;
/** `Basic …` / `Bearer …` credentials in a header value or message (8+ characters: not an ordinary word). */
const AUTH_SCHEME = /\b(Basic|Bearer)\s+[\w.~+/=-]{8,}/g;
/** How deep a printed view follows nested plain objects (option objects nest two or three levels). */
const VIEW_DEPTH = 6;

/**
 * True when a configuration key holds a secret.
 * @internal
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !LOCATION_KEY.test(key);
}

/**
 * A URL with its user info replaced (`https://[redacted]@host/`); works on text that is not a valid URL, so
 * an error about a malformed URL can quote it.
 * @internal
 */
export function redactUrl(url: string): string {
  return url.replace(URL_USER_INFO, `$1${REDACTED}@`);
}

/**
 * Masks `password=…`, `token: …`, `Basic …` and URL user info in a log line or message (librdkafka's `conf`
 * debug output, broker errors that echo a property).
 * @internal
 */
export function redactLine(line: string): string {
  return redactUrl(line)
    .replace(SECRET_PAIR, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`);
}

/**
 * A printable copy of a value: secret keys' values replaced at any depth of plain objects, URLs without user
 * info, functions and class instances named only (they print themselves, redacted, when inspected directly).
 * @internal
 */
export function redactValue(value: unknown, depth = VIEW_DEPTH): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value !== 'object' || value === null) return value;
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length}]`;
  if (Array.isArray(value)) return depth > 0 ? value.map((v) => redactValue(v, depth - 1)) : '[Array]';
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return `[${(value as object).constructor?.name ?? 'object'}]`;
  if (depth <= 0) return '[Object]';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = isSecretKey(key) && v !== null && typeof v !== 'boolean' ? REDACTED : redactValue(v, depth - 1);
  }
  return out;
}

/**
 * A copy of a config map fit for printing: secret values replaced with `[redacted]`, callbacks named.
 * @param config librdkafka properties and callbacks, or any options object
 * @internal
 */
export function redactConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return redactValue(config) as Record<string, unknown>;
}

/**
 * Removes every secret value of `config` from a text, wherever it appears: librdkafka and Node quote a rejected
 * value in their messages ('Invalid value "…" for configuration property "ssl.key.password"').
 * @internal
 */
export function scrubSecrets(text: string, config: Readonly<Record<string, unknown>> | undefined): string {
  let out = redactLine(text);
  for (const [key, value] of Object.entries(config ?? {})) {
    if (!isSecretKey(key) || (typeof value !== 'string' && !Buffer.isBuffer(value))) continue;
    const secret = String(value);
    // A secret of a few characters would blank out ordinary words; such a secret is not worth keeping anyway.
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** The three ways an object turns into text, each through `redactValue`. */
function printMethods<T extends object>(viewOf: (self: T) => unknown): Record<string | symbol, unknown> {
  return {
    [inspect.custom](this: T, _depth: number, options: object, print: typeof inspect): string {
      return `${this.constructor.name} ${print(viewOf(this), { ...options, customInspect: true })}`;
    },
    toJSON(this: T): unknown {
      return viewOf(this);
    },
    toString(this: T): string {
      return `${this.constructor.name} ${JSON.stringify(viewOf(this))}`;
    },
  };
}

function defineHidden(target: object, methods: Record<string | symbol, unknown>): void {
  for (const key of Reflect.ownKeys(methods)) {
    Object.defineProperty(target, key, { value: methods[key], enumerable: false, configurable: true, writable: true });
  }
}

/**
 * Makes instances of a class print redacted: `util.inspect`, `JSON.stringify` and `String()` show the class
 * name and `view(instance)` (by default its own enumerable fields) through `redactValue`. Secrets held in
 * `#private` fields never print; the rest are masked by key. Installed once per class, on its prototype, as
 * non-enumerable methods so they do not show up in the instances' own keys.
 * @param cls the class (subclasses inherit the behaviour and print under their own name)
 * @param view what to show of an instance
 * @internal
 */
export function redactWhenPrinted<T extends object>(cls: { readonly prototype: T }, view?: (self: T) => object): void {
  defineHidden(
    cls.prototype,
    printMethods<T>((self) => redactValue(view ? view(self) : { ...self })),
  );
}

/**
 * A shallow copy of a plain options object that prints redacted (for objects that are not class instances,
 * such as the options a Nest provider holds). Its fields are the original's; only printing changes.
 * @internal
 */
export function printsRedacted<T extends object>(options: T): T {
  const copy = { ...options };
  defineHidden(
    copy,
    printMethods<T>((self) => redactValue({ ...self })),
  );
  return copy;
}
