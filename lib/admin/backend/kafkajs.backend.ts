import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { AdminClientConfig, AdminLogger } from '../admin-options.interface.js';
import { adminConnectionOf, unusableConfig } from './admin-connection.js';
import { AdminLifecycle } from './admin-lifecycle.js';
import { toKafkaJsConfig } from './kafkajs-config.js';

/**
 * The kafkajs admin behind most operations (see lib/admin/README.md). kafkajs is pure JavaScript and speaks
 * the admin protocol node-rdkafka does not bind.
 * @internal
 */
export class KafkaJsBackend {
  readonly #config: AdminClientConfig;
  readonly #logger: AdminLogger | undefined;
  #admin: Admin | undefined;
  #connecting: Promise<Admin> | undefined;
  readonly #lifecycle: AdminLifecycle;

  /**
   * @param config librdkafka-style properties, translated on first use: a configuration this backend cannot
   *   speak (GSSAPI, OAUTHBEARER) fails the operations that need it, never the construction
   * @param logger receives kafkajs's warnings and errors
   * @param lifecycle the owning AdminClient's open/closed state
   */
  constructor(config: AdminClientConfig, logger?: AdminLogger, lifecycle = new AdminLifecycle()) {
    this.#config = config;
    this.#logger = logger;
    this.#lifecycle = lifecycle;
  }

  /**
   * The connected kafkajs admin, connecting on first use (and again after a failed attempt).
   * @param operation named in the exception when the configuration cannot be used
   * @throws KafkaException `_STATE` once closed; the translation's code (`_INVALID_ARG`,
   *   `_UNSUPPORTED_FEATURE`) when this backend cannot use the configuration
   */
  ready(operation: string): Promise<Admin> {
    if (this.#lifecycle.closed) return Promise.reject(this.#lifecycle.closedError(operation));
    if (!this.#admin) {
      try {
        this.#admin = new kafkajs.Kafka(toKafkaJsConfig(adminConnectionOf(this.#config), this.#logger)).admin();
      } catch (e) {
        return Promise.reject(unusableConfig(operation, 'kafkajs', e));
      }
    }
    if (!this.#connecting) {
      const admin = this.#admin;
      const attempt = admin.connect().then(() => admin);
      attempt.catch(() => {
        if (this.#connecting === attempt) this.#connecting = undefined;
      });
      this.#connecting = attempt;
    }
    return this.#connecting;
  }

  /** Disconnects (idempotent); with the lifecycle closed, later calls reject with `_STATE`. */
  async disconnect(): Promise<void> {
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (connecting) await connecting.then((admin) => admin.disconnect(), () => undefined).catch(() => undefined);
  }

  /** Decodes a consumer-protocol member assignment (kafkajs's AssignerProtocol), or null if it is not one. */
  decodeAssignment(buffer: Buffer): Record<string, number[]> | null {
    try {
      return kafkajs.AssignerProtocol.MemberAssignment.decode(buffer)?.assignment ?? null;
    } catch {
      return null;
    }
  }
}
