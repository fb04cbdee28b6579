// BENCH_TRACING selects what tracing costs in a scenario: unset or `noop` (@opentelemetry/api installed, no
// provider registered: the api's no-op path), `off` (the transport's `tracing: false`), `sdk` (the real SDK
// registered: BasicTracerProvider, BatchSpanProcessor, W3C propagators, AsyncLocalStorage, an exporter that
// drops the spans, so what is measured is recording them, not shipping them), `sdk+off` (the SDK registered,
// the transport's tracing off: what the application's context manager costs by itself), `sdk-sampled` (the SDK
// with a 1 % parent-based ratio sampler: unsampled records get non-recording spans).
export const tracingMode = process.env.BENCH_TRACING ?? 'noop';

/** Transport options for the mode (`tracing: false` when off). */
export const tracingOption = tracingMode === 'off' || tracingMode === 'sdk+off' ? { tracing: false } : {};

/** Registers the SDK globally in the `sdk` modes. */
export async function setupTracing() {
  if (!tracingMode.startsWith('sdk')) return;
  const { context, propagation, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } =
    await import('@opentelemetry/sdk-trace-base');
  const dropping = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
  const sampler = tracingMode === 'sdk-sampled' ? new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.01) }) : undefined;
  trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler, spanProcessors: [new BatchSpanProcessor(dropping)] }));
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Node 20's AsyncLocalStorage turns its promise hooks on at the first run(), and every promise of the process
  // pays for them from then on. In a traced application the HTTP instrumentation has done that long before a
  // record arrives, so `sdk+off` does it too: the difference to `sdk` is then what our spans cost.
  context.with(context.active(), () => undefined);
}
