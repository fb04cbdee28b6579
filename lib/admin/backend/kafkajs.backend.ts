// Types only: kafkajs is imported on the first admin operation, so importing the package never loads it.
import type * as KafkaJs from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { AdminLogger, AdminProperties } from '../admin-options.interface.js';
import { adminConnectionOf, unusableConfig } from './admin-connection.js';
import { AdminLifecycle } from './admin-lifecycle.js';
import { toKafkaJsConfig } from './kafkajs-config.js';
import { importOptional, type PackageImporter } from './import-optional.js';

type KafkaJsModule = typeof KafkaJs;
const KAFKAJS = 'kafkajs';

/**
 * The kafkajs admin behind most operations (see lib/admin/README.md). kafkajs is pure JavaScript and speaks
 * the admin protocol node-rdkafka does not bind.
 * @internal
 */
export class KafkaJsBackend {
  readonly #config: AdminProperties;
  readonly #logger: AdminLogger | undefined;
  readonly #importer: PackageImporter | undefined;
  #kafkajs: KafkaJsModule | undefined;
  #admin: Admin | undefined;
  #connecting: Promise<Admin> | undefined;
  readonly #lifecycle: AdminLifecycle;

  /**
   * @param config librdkafka-style properties, translated on first use: a configuration this backend cannot
   *   speak (GSSAPI, OAUTHBEARER) fails the operations that need it, never the construction
   * @param logger receives kafkajs's warnings and errors
   * @param lifecycle the owning AdminClient's open/closed state
   * @param importer how kafkajs is imported (a seam for tests) @default a dynamic `import()`
   */
  constructor(config: AdminProperties, logger?: AdminLogger, lifecycle = new AdminLifecycle(), importer?: PackageImporter) {
    this.#config = config;
    this.#logger = logger;
    this.#lifecycle = lifecycle;
    this.#importer = importer;
  }

  /**
   * The connected kafkajs admin, connecting on first use (and again after a failed attempt).
   * @param operation named in the exception when the configuration cannot be used
   * @throws KafkaException `_STATE` once closed; the translation's code (`_INVALID_ARG`,
   *   `_UNSUPPORTED_FEATURE`) when this backend cannot use the configuration
   * @throws MissingDependencyError when kafkajs is not installed
   */
  ready(operation: string): Promise<Admin> {
    if (this.#lifecycle.closed) return Promise.reject(this.#lifecycle.closedError(operation));
    if (!this.#connecting) {
      const attempt = this.#connect(operation);
      attempt.catch(() => {
        if (this.#connecting === attempt) this.#connecting = undefined;
      });
      this.#connecting = attempt;
    }
    return this.#connecting;
  }

  async #connect(operation: string): Promise<Admin> {
    this.#kafkajs ??= ((await importOptional(KAFKAJS, `AdminClient.${operation}`, this.#importer)) as { default: KafkaJsModule }).default;
    if (!this.#admin) {
      try {
        this.#admin = new this.#kafkajs.Kafka(toKafkaJsConfig(adminConnectionOf(this.#config), this.#logger)).admin();
      } catch (e) {
        throw unusableConfig(operation, 'kafkajs', e);
      }
    }
    const admin = this.#admin;
    await admin.connect();
    return admin;
  }

  /** Disconnects (idempotent); with the lifecycle closed, later calls reject with `_STATE`. */
  async disconnect(): Promise<void> {
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (connecting)
      await connecting
        .then(
          (admin) => admin.disconnect(),
          () => undefined,
        )
        .catch(() => undefined);
  }
}
