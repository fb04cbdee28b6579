import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { ErrorCode, KafkaException } from '../../errors/index.js';
import type { AdminClientConfig, AdminLogger } from '../admin-options.interface.js';
import { toKafkaJsConfig } from './kafkajs-config.js';

/**
 * The kafkajs admin behind most operations (see lib/admin/README.md). kafkajs is pure JavaScript and speaks
 * the admin protocol node-rdkafka does not bind.
 * @internal
 */
export class KafkaJsBackend {
  readonly #admin: Admin;
  readonly #kafka: InstanceType<typeof kafkajs.Kafka>;
  #connecting: Promise<Admin> | undefined;
  #closed = false;

  /**
   * @param config librdkafka-style properties, translated once here
   * @param logger receives kafkajs's warnings and errors
   */
  constructor(config: AdminClientConfig, logger?: AdminLogger) {
    this.#kafka = new kafkajs.Kafka(toKafkaJsConfig(config, logger));
    this.#admin = this.#kafka.admin();
  }

  /**
   * The connected kafkajs admin, connecting on first use (and again after a failed attempt).
   * @throws KafkaException `_STATE` once closed
   */
  ready(): Promise<Admin> {
    if (this.#closed) return Promise.reject(new KafkaException(ErrorCode._STATE, 'The admin client is closed'));
    if (!this.#connecting) {
      const attempt = this.#admin.connect().then(() => this.#admin);
      attempt.catch(() => {
        if (this.#connecting === attempt) this.#connecting = undefined;
      });
      this.#connecting = attempt;
    }
    return this.#connecting;
  }

  /** Disconnects; later calls reject with `_STATE`. */
  async disconnect(): Promise<void> {
    this.#closed = true;
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (connecting) await connecting.then(() => this.#admin.disconnect(), () => undefined);
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
