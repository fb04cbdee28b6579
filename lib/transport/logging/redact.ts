/** Config keys whose values must never reach a log: passwords, secrets, tokens, private keys. */
const SECRET_KEY = /(password|secret|token|private|credential|sasl\.oauthbearer\.config|ssl\.key\.pem|jaas)/i;
/** `key=value` / `key: value` pairs with a secret-looking key inside a log line. */
const SECRET_PAIR = /\b([\w.-]*(?:password|secret|token|credential)[\w.-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;}\]]+)/gi;

/**
 * A copy of a config map fit for logging: secret values replaced with `***`, callbacks and objects named only.
 * @param config librdkafka properties and callbacks
 * @returns a printable map
 * @internal
 */
export function redactConfig(config: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (SECRET_KEY.test(key)) out[key] = '***';
    else if (typeof value === 'function') out[key] = '[function]';
    else if (typeof value === 'object' && value !== null) out[key] = '[object]';
    else out[key] = value as string | number | boolean;
  }
  return out;
}

/**
 * Masks `password=…`, `token: …` and similar pairs in a log line (librdkafka's `conf` debug output, broker
 * errors that echo a property).
 * @internal
 */
export function redactLine(line: string): string {
  return line.replace(SECRET_PAIR, (_m, key: string, sep: string) => `${key}${sep}***`);
}
