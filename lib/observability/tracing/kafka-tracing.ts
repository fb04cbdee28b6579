import type { Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { ownPackageJson } from '../../internal/node-require.cjs';
import { describeError, errorTypeOf } from './error-type.js';
import { headerGetter, nativeHeaderSetter } from './header-carrier.js';
import { MessagingAttr as A } from './messaging-attributes.js';
import { loadOtelApi, type OtelApiModule } from './otel-api.js';
import {
  type ConsumedRecordView,
  type OutgoingRecordView,
  processAttributes,
  requestAttributes,
  sendAttributes,
} from './span-attributes.js';

/** The instrumentation scope of our spans. */
const SCOPE = 'nest-rdkafka';
/** OpenTelemetry's SpanKind values (the api's enum; numbers here so no value of the api is needed to name them). */
const KIND = { CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
const STATUS_ERROR = 2;
const CORRELATION_HEADER = 'kafka_correlationId';

/** A produced record's span, ended by its delivery report. @internal */
export interface SendSpan {
  /** Ends the span with the report: the partition and offset written, or the error. */
  delivered(error: unknown, partition?: number, offset?: number): void;
}

/** A client request's span, from send until the final reply (or the failure). @internal */
export interface RequestSpan {
  /** Runs `fn` with the request span as the active span: the record's send span becomes its child. */
  run<T>(fn: () => T): T;
  /** A reply arrived: the final one ends the span; `err` (an error reply or the timeout) fails it. */
  reply(packet: { err?: unknown; isDisposed?: boolean }): void;
  /** The caller gave up (unsubscribed): ends the span as it is. */
  end(): void;
}

/** What a process span remembers of its record's failures (see `failed`). */
interface ProcessState {
  span: Span;
  error: unknown;
  /** The failure decides the outcome even though handling completed (an error reply was sent). */
  final: boolean;
}

/**
 * OpenTelemetry spans for the client layer and the transport, following the messaging semantic conventions
 * (Kafka): `send <topic>` (PRODUCER, until the delivery report), `process <topic>` (CONSUMER, a child of the
 * context the producer put in the record's headers), `request <topic>` (CLIENT, a request until its reply).
 * Context travels in W3C Trace Context headers through the api's global propagator.
 *
 * Active only while a tracer provider is registered with `@opentelemetry/api`: otherwise every method returns
 * at once (a property read and a comparison), and a record is produced and handled exactly as without tracing.
 * @internal
 */
export class KafkaTracing {
  /** The api's no-op provider: what the global proxy delegates to while no provider is registered. */
  private readonly noop: TracerProvider;
  private provider: TracerProvider | null = null;
  private cached: Tracer | null = null;
  private readonly processKey: symbol;
  /**
   * Open process spans by record. A Map, not a WeakMap: with 500 records in flight a WeakMap's set and delete
   * took about 1.3 µs per record against 0.3 µs (measured in isolation). Every record the loop runs is settled,
   * its handler's time limit included, and the entry goes with it.
   */
  private readonly processing = new Map<object, ProcessState>();

  private constructor(private readonly api: OtelApiModule) {
    this.noop = new api.ProxyTracerProvider().getDelegate();
    this.processKey = api.createContextKey('nest-rdkafka process span');
  }

  /**
   * @param enabled the `tracing` option: false turns tracing off for good
   * @returns null when turned off or when `@opentelemetry/api` is not installed
   */
  static create(enabled: boolean | undefined): KafkaTracing | null {
    if (enabled === false) return null;
    const api = loadOtelApi();
    return api ? new KafkaTracing(api) : null;
  }

  /**
   * The tracer of the registered provider, or null while none is registered. Looked up on every call (cheap),
   * so a provider registered after our clients were built, or replaced, is used from then on.
   */
  tracer(): Tracer | null {
    const global = this.api.trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
    const provider = global.getDelegate?.() ?? global;
    if (provider === this.noop) return null;
    if (provider !== this.provider) {
      this.provider = provider;
      this.cached = provider.getTracer(SCOPE, scopeVersion());
    }
    return this.cached;
  }

  /**
   * Starts `send <topic>` as a child of the active context and adds its trace context to the record's headers
   * (`args.headers`, the fresh array node-rdkafka will read), unless the caller set one of the propagator's
   * headers (`traceparent`, `tracestate`, `baggage`): theirs are kept as they are, and none of ours is added.
   * @returns undefined while no provider is registered
   */
  send(topic: string, args: OutgoingRecordView): SendSpan | undefined {
    const tracer = this.tracer();
    if (!tracer) return undefined;
    const { context, propagation, trace } = this.api;
    const parent = context.active();
    const span = tracer.startSpan(`send ${topic}`, { kind: KIND.PRODUCER, attributes: sendAttributes(topic, args) }, parent);
    const headers = args.headers ?? [];
    const fields = propagation.fields();
    if (!headers.some((h) => fields.some((f) => Object.prototype.hasOwnProperty.call(h, f)))) {
      propagation.inject(trace.setSpan(parent, span), headers, nativeHeaderSetter);
      if (headers.length > 0) args.headers = headers;
    }
    return {
      delivered: (error, partition, offset) => {
        if (error) fail(span, error);
        else {
          if (partition !== undefined && partition >= 0) span.setAttribute(A.PARTITION_ID, String(partition));
          if (offset !== undefined && offset >= 0) span.setAttribute(A.KAFKA_OFFSET, offset);
        }
        span.end();
      },
    };
  }

  /**
   * Runs `handle` (one record's handling, retries included) inside `process <topic>`, a child of the context in
   * the record's headers (a new trace when it has none). The handler's own spans, and records it produces
   * (replies included), become children of it. The span stays open until `processed(record, ok)`: the caller
   * learns when handling ended anyway, and a continuation of our own would cost a promise per record.
   */
  process<R>(record: ConsumedRecordView, groupId: string | undefined, handle: () => R): R {
    const tracer = this.tracer();
    if (!tracer) return handle();
    const { context, propagation, trace, ROOT_CONTEXT } = this.api;
    // From the root, not the active context: the consume loop's context is no parent of a record's handling.
    const parent = propagation.extract(ROOT_CONTEXT, record.headers, headerGetter);
    const correlationId = headerGetter.get(record.headers, CORRELATION_HEADER) as string | undefined;
    const span = tracer.startSpan(
      `process ${record.topic}`,
      { kind: KIND.CONSUMER, attributes: processAttributes(record, groupId, correlationId) },
      parent,
    );
    const state: ProcessState = { span, error: undefined, final: false };
    this.processing.set(record, state);
    try {
      return context.with(trace.setSpan(parent, span).setValue(this.processKey, state), handle);
    } catch (err) {
      // The dispatcher never throws; should a handling step do so, the span still ends with it.
      state.error = err;
      if (err instanceof Error) span.recordException(err);
      this.processed(record, false);
      throw err;
    }
  }

  /**
   * Ends the record's process span (once; later calls, and records without one, are ignored).
   * @param ok whether handling ended well: a skipped or stopped record fails the span
   */
  processed(record: object, ok: boolean): void {
    const state = this.processing.get(record);
    if (!state) return;
    this.processing.delete(record);
    // A record skipped without an error (no handler for it, too large) has no exception to name.
    if (state.final || !ok) fail(state.span, state.error ?? 'not handled', state.error === undefined ? 'not_handled' : undefined, false);
    state.span.end();
  }

  /**
   * A failure while handling the active record (an attempt that failed, a record that cannot be decoded): an
   * `exception` event on its process span, and its `error.type` should handling end badly.
   * @param final true when the failure is the outcome although handling completed (an error reply was sent)
   */
  failed(err: unknown, final = false): void {
    const state = this.api.context.active().getValue(this.processKey) as ProcessState | undefined;
    if (!state) return;
    state.error = err;
    state.final ||= final;
    if (err instanceof Error) state.span.recordException(err);
  }

  /** `failed` as a function to hand on (the dispatcher's `onFailure`). */
  readonly onFailure = (err: unknown): void => this.failed(err);

  /** A reply the active record's handler sent: an error reply fails its process span although handling completed. */
  replied(packet: { err?: unknown }): void {
    if (packet.err !== undefined && packet.err !== null) this.failed(packet.err, true);
  }

  /**
   * Starts `request <topic>` (CLIENT) for a request-reply call, as a child of the active context.
   * @returns undefined while no provider is registered
   */
  request(topic: string, correlationId: string): RequestSpan | undefined {
    const tracer = this.tracer();
    if (!tracer) return undefined;
    const { context, trace } = this.api;
    const parent = context.active();
    const span = tracer.startSpan(`request ${topic}`, { kind: KIND.CLIENT, attributes: requestAttributes(topic, correlationId) }, parent);
    const active = trace.setSpan(parent, span);
    let ended = false;
    const end = (err?: unknown): void => {
      if (ended) return;
      ended = true;
      if (err !== undefined) fail(span, err);
      span.end();
    };
    return {
      run: (fn) => context.with(active, fn),
      reply: (p) => (p.err !== undefined && p.err !== null ? end(p.err) : p.isDisposed ? end() : undefined),
      end: () => end(),
    };
  }
}

/** This package's version for the instrumentation scope; none when its package.json cannot be found (a bundle). */
function scopeVersion(): string | undefined {
  try {
    return ownPackageJson().version;
  } catch {
    return undefined;
  }
}

/**
 * Marks a span failed: ERROR status with the reason, `error.type`, and the exception as an event (unless
 * `failed()` recorded it already).
 */
function fail(span: Span, err: unknown, type = errorTypeOf(err), recordException = true): void {
  span.setStatus({ code: STATUS_ERROR, message: describeError(err) });
  span.setAttribute(A.ERROR_TYPE, type);
  if (recordException && err instanceof Error) span.recordException(err);
}
