import type { WritePacket } from '@nestjs/microservices';
import { RequestTimeoutError } from '../errors/request-timeout.error.js';
import { KafkaHeaders } from '../kafka-headers.enum.js';
import type { RdKafkaParsedMessage } from '../serdes/rdkafka.parser.js';

interface PendingRequest {
  readonly pattern: string;
  readonly callback: (packet: WritePacket) => void;
  timer: NodeJS.Timeout | undefined;
  /** Values received so far (a stream may send several). */
  received: number;
}

/**
 * The pending requests of one client, by correlation id. Replies are matched to requests here: a reply without
 * `kafka_correlationId`, or with an id this instance did not send (another instance's reply on a shared
 * partition, a late reply after a timeout), is ignored. Every request has a timeout, restarted by each reply of
 * a stream, after which it fails with `RequestTimeoutError` and its entry is removed.
 * @internal
 */
export class ReplyRouter {
  private readonly pending = new Map<string, PendingRequest>();

  /** @param timeoutMs how long a request may wait for its (next) reply */
  constructor(private readonly timeoutMs: number) {}

  /**
   * Registers a request.
   * @param firstTimeoutMs how long it may wait for its first reply (what is left of `timeoutMs` after connecting)
   * @returns the teardown: forgets the request (unsubscribing from `send()`'s Observable calls it)
   */
  register(correlationId: string, pattern: string, callback: (packet: WritePacket) => void, firstTimeoutMs = this.timeoutMs): () => void {
    const entry: PendingRequest = { pattern, callback, timer: undefined, received: 0 };
    this.pending.set(correlationId, entry);
    this.arm(correlationId, entry, firstTimeoutMs);
    return () => this.forget(correlationId);
  }

  /** Fails one request (its record could not be produced). */
  fail(correlationId: string, err: unknown): void {
    const entry = this.pending.get(correlationId);
    if (!entry) return;
    this.forget(correlationId);
    entry.callback({ err });
  }

  /** Fails every pending request (the client is closing), as Nest's `ClientKafka` does. */
  failAll(err: unknown): void {
    const entries = [...this.pending.values()];
    for (const id of [...this.pending.keys()]) this.forget(id);
    for (const e of entries) e.callback({ err });
  }

  /**
   * Hands a reply to its request, decoded as Nest's `KafkaResponseDeserializer` does.
   * @returns true when the reply belonged to a pending request of this client
   */
  route(reply: RdKafkaParsedMessage): boolean {
    const rawId = reply.headers[KafkaHeaders.CORRELATION_ID];
    if (rawId === undefined || rawId === null) return false;
    const id = String(rawId);
    const entry = this.pending.get(id);
    if (!entry) return false;
    const err = reply.headers[KafkaHeaders.NEST_ERR];
    const final = err !== undefined || reply.headers[KafkaHeaders.NEST_IS_DISPOSED] !== undefined;
    if (final) this.forget(id);
    else this.arm(id, entry);
    if (err !== undefined) return (entry.callback({ err, isDisposed: true }), true);
    // A value-less "disposed" record after values is only the end of the stream (Nest's client would emit an
    // extra null here); without earlier values it is the handler's null/undefined result.
    const endOnly = final && reply.value === null && entry.received > 0;
    entry.received++;
    entry.callback(endOnly ? { isDisposed: true } : { response: reply.value, isDisposed: final });
    return true;
  }

  /** Requests waiting for a reply. */
  get size(): number {
    return this.pending.size;
  }

  private arm(id: string, entry: PendingRequest, ms = this.timeoutMs): void {
    if (entry.timer) clearTimeout(entry.timer);
    // The error names the configured bound: the request as a whole has waited that long.
    entry.timer = setTimeout(() => this.fail(id, new RequestTimeoutError(entry.pattern, this.timeoutMs, id)), Math.max(0, ms));
    entry.timer.unref?.();
  }

  private forget(id: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.pending.delete(id);
  }
}
