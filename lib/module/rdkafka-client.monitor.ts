import type { Subscription } from 'rxjs';
import type { ClientConfig } from '../client/config/index.js';
import type { KafkaError } from '../errors/index.js';
import { RdKafkaStatus } from '../transport/rdkafka-status.enum.js';
import type { ServerRdKafka } from '../transport/server/server-rdkafka.js';

/** The module's clients whose errors are watched. @publicApi */
export type MonitoredClient = 'producer' | 'client' | 'server';

/**
 * What the module's clients report that their own APIs do not keep: the fatal errors from `error_cb`
 * (librdkafka raises those once, on the callback) and the server's status stream. One per module instance;
 * the health indicator reads it. Kept in the published typings (the indicator's constructor names it), not
 * exported by the package.
 */
export class RdKafkaClientMonitor {
  readonly #fatal = new Map<MonitoredClient, KafkaError>();
  #serverStatus: RdKafkaStatus | null = null;
  #serverStatusSince = Date.now();
  #subscription: Subscription | null = null;

  /**
   * A copy of the shared config whose `error_cb` records fatal errors of `client` before calling the
   * application's own `error_cb`.
   */
  configFor(client: MonitoredClient, config: ClientConfig): ClientConfig {
    const user = config.error_cb;
    return {
      ...config,
      error_cb: (err: KafkaError) => {
        if (err.fatal) this.#fatal.set(client, err);
        user?.(err);
      },
    };
  }

  /** Follows a server's status (connected, rebalancing, crashed…). */
  watchServer(server: Pick<ServerRdKafka, 'status'>): void {
    this.#subscription?.unsubscribe();
    this.#subscription = server.status.subscribe((s) => {
      if (s !== this.#serverStatus) this.#serverStatusSince = Date.now();
      this.#serverStatus = s;
    });
  }

  /** The fatal error a client reported, if any. */
  fatalError(client: MonitoredClient): KafkaError | null {
    return this.#fatal.get(client) ?? null;
  }

  /** The server's last status; null before it started listening. */
  get serverStatus(): RdKafkaStatus | null {
    return this.#serverStatus;
  }

  /** When the server's status last changed (ms since the epoch). */
  get serverStatusSince(): number {
    return this.#serverStatusSince;
  }

  /** Whether the server is listening (connected, rebalancing, or refused some of what it reads). */
  get serverRunning(): boolean {
    const s = this.#serverStatus;
    return s === RdKafkaStatus.CONNECTED || s === RdKafkaStatus.REBALANCING || s === RdKafkaStatus.UNAUTHORIZED;
  }

  /** Stops following the server. */
  dispose(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = null;
  }
}
