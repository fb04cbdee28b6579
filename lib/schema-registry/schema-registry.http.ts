import { ConfigException } from '../errors/index.js';
import { REDACTED, redactUrl, redactWhenPrinted } from '../security/index.js';
import type { SchemaRegistryClientConfig } from './schema-registry-client.config.js';
import { SCHEMA_REGISTRY_UNKNOWN_ERROR_CODE, SchemaRegistryError } from './schema-registry.error.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json';

/** A base URL without credentials (fetch refuses URLs that carry them) and the credentials it had. */
interface Endpoint {
  readonly base: string;
  readonly userInfo?: string;
}

function parseEndpoint(raw: string): Endpoint {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigException('url', `"${redactUrl(raw)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigException('url', `"${redactUrl(raw)}" is not an http(s) URL`);
  }
  const userInfo = url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
  url.username = '';
  url.password = '';
  // The base keeps its path (`/apis/ccompat/v7`); request paths are appended to it.
  return { base: url.toString().replace(/\/+$/, ''), userInfo };
}

function authorization(config: SchemaRegistryClientConfig, endpoints: Endpoint[]): string | undefined {
  const token = config['bearer.auth.token'];
  const source = config['basic.auth.credentials.source'];
  const fromUrl = endpoints.find((e) => e.userInfo)?.userInfo;
  const basic =
    source === 'URL' ? fromUrl : source === 'USER_INFO' ? config['basic.auth.user.info'] : (config['basic.auth.user.info'] ?? fromUrl);
  if (source === 'USER_INFO' && !basic)
    throw new ConfigException('basic.auth.user.info', 'required when basic.auth.credentials.source is USER_INFO');
  if (token !== undefined && basic) throw new ConfigException('bearer.auth.token', 'cannot be combined with basic auth');
  if (token !== undefined) return `Bearer ${token}`;
  if (!basic) return undefined;
  if (!basic.includes(':')) throw new ConfigException('basic.auth.user.info', 'expected "user:password"');
  return `Basic ${Buffer.from(basic, 'utf8').toString('base64')}`;
}

/**
 * The REST transport under `SchemaRegistryClient`: one JSON request at a time with auth, a timeout, failover
 * across URLs on network errors, and registry errors turned into `SchemaRegistryError`.
 * @internal
 */
export class SchemaRegistryHttp {
  // Private: the user info and the Authorization header are credentials (see the static block).
  readonly #endpoints: Endpoint[];
  readonly #auth?: string;
  private readonly timeoutMs: number;

  static {
    redactWhenPrinted(this, (self) => ({
      urls: self.#endpoints.map((e) => e.base),
      auth: self.#auth && REDACTED,
      timeoutMs: self.timeoutMs,
    }));
  }

  /** @throws ConfigException on a missing or malformed URL, or conflicting auth settings */
  constructor(config: SchemaRegistryClientConfig) {
    if (!config?.url) throw new ConfigException('url', 'a Schema Registry URL is required');
    this.#endpoints = config.url
      .split(',')
      .filter((u) => u.trim())
      .map(parseEndpoint);
    this.#auth = authorization(config, this.#endpoints);
    this.timeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new ConfigException('requestTimeoutMs', 'must be a positive number of milliseconds');
  }

  /**
   * Sends one request and returns the parsed JSON answer.
   * @param method HTTP method
   * @param path path below the base URL, segments already encoded, may carry a query string
   * @param body JSON body
   * @throws SchemaRegistryError on an error status or when no URL answers
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const what = `${method} ${path}`;
    let lastError: unknown;
    for (const endpoint of this.#endpoints) {
      let response: Response;
      try {
        response = await fetch(`${endpoint.base}${path}`, {
          method,
          headers: this.headers(body !== undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        lastError = e; // unreachable or timed out: try the next URL
        continue;
      }
      return this.parse<T>(response, what);
    }
    // Duck-typed: fetch's errors (DOMException, TypeError) may come from another realm than this module's.
    const reason =
      (lastError as { name?: unknown } | undefined)?.name === 'TimeoutError'
        ? `no answer within ${this.timeoutMs} ms`
        : `could not reach ${this.#endpoints.map((e) => e.base).join(', ')}: ${describe(lastError)}`;
    throw new SchemaRegistryError(0, SCHEMA_REGISTRY_UNKNOWN_ERROR_CODE, reason, what, lastError);
  }

  private headers(hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: ACCEPT };
    if (hasBody) h['Content-Type'] = CONTENT_TYPE;
    if (this.#auth) h.Authorization = this.#auth;
    return h;
  }

  private async parse<T>(response: Response, what: string): Promise<T> {
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      if (json === undefined && text) {
        throw new SchemaRegistryError(
          response.status,
          SCHEMA_REGISTRY_UNKNOWN_ERROR_CODE,
          `answer is not JSON: ${text.slice(0, 200)}`,
          what,
        );
      }
      return json as T;
    }
    const err = (json ?? {}) as { error_code?: unknown; message?: unknown };
    const code = typeof err.error_code === 'number' ? err.error_code : SCHEMA_REGISTRY_UNKNOWN_ERROR_CODE;
    const message = typeof err.message === 'string' ? err.message : text.slice(0, 200) || response.statusText;
    throw new SchemaRegistryError(response.status, code, message, what);
  }
}

function describe(e: unknown): string {
  const err = e as { message?: unknown; cause?: { message?: unknown } } | undefined;
  if (typeof err?.message !== 'string') return String(e);
  const cause = typeof err.cause?.message === 'string' ? ` (${err.cause.message})` : '';
  return `${err.message}${cause}`;
}
