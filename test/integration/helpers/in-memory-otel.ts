import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The real OpenTelemetry SDK, registered globally as an application does, with spans kept in memory. */
export interface InMemoryOtel {
  readonly exporter: InMemorySpanExporter;
  readonly provider: BasicTracerProvider;
  /** Finished spans named `name`. */
  spans(name?: string): ReadableSpan[];
  /** Unregisters provider, propagator and context manager (the api's globals) and shuts the provider down. */
  shutdown(): Promise<void>;
}

/** Registers a tracer provider, the W3C trace-context and baggage propagators and an AsyncLocalStorage context manager. */
export function registerInMemoryOtel(): InMemoryOtel {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const manager = new AsyncLocalStorageContextManager().enable();
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  context.setGlobalContextManager(manager);
  return {
    exporter,
    provider,
    spans: (name) => exporter.getFinishedSpans().filter((s) => name === undefined || s.name === name),
    async shutdown() {
      trace.disable();
      propagation.disable();
      context.disable();
      await provider.shutdown();
    },
  };
}

/** The span's parent span id (SDK 2.x keeps it in `parentSpanContext`). */
export function parentIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
