import { ErrorCode, KafkaException } from '../../errors/index.js';

/**
 * The one open/closed state every backend of an AdminClient checks before it opens a connection or sends a
 * request, so `close()` means the same on all of them: every later operation rejects at once with `_STATE`,
 * and no backend reconnects behind the caller's back.
 * @internal
 */
export class AdminLifecycle {
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** Marks the client closed; idempotent. */
  close(): void {
    this.#closed = true;
  }

  /** The `_STATE` exception of an operation called after `close()`. */
  closedError(operation: string): KafkaException {
    return new KafkaException(ErrorCode._STATE, `${operation}: the admin client is closed`);
  }

  /** @throws KafkaException `_STATE` once closed */
  assertOpen(operation: string): void {
    if (this.#closed) throw this.closedError(operation);
  }
}
