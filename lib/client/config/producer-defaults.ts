import type { NativeValue } from './split-config.js';

/** The acks values that mean "all in-sync replicas", as librdkafka reads them (`all` in any case, as its s2i). */
const ACKS_ALL = new Set(['-1', 'all']);

/**
 * Properties that, set by the user to these values, rule idempotence out (librdkafka refuses the combination),
 * so the producer then runs without it, as the Java client does since Kafka 3.0.
 */
function conflictsWithIdempotence(props: Record<string, NativeValue>): boolean {
  const acks = props['acks'] ?? props['request.required.acks'];
  const inFlight = props['max.in.flight'] ?? props['max.in.flight.requests.per.connection'];
  const retries = props['retries'] ?? props['message.send.max.retries'];
  return (
    (acks !== undefined && !ACKS_ALL.has(String(acks).trim().toLowerCase())) ||
    (inFlight !== undefined && Number(inFlight) > 5) ||
    (retries !== undefined && Number(retries) === 0)
  );
}

/**
 * librdkafka producer defaults of ours, under the user's properties. `enable.idempotence` is on unless the user
 * set it or a property that rules it out: without it librdkafka retries a request that timed out or hit a
 * leader change while later batches go ahead, so a broker that hangs or dies under load reorders records in the
 * log, and a batch the broker wrote before it stopped answering is written twice (measured on the 3-node
 * cluster: 2 of 4 runs with SIGSTOP on a leader reordered keys; with idempotence, 0 of 3).
 * @param props the user's properties, global and topic level together
 * @internal
 */
export function producerDefaults(props: Record<string, NativeValue>): Record<string, NativeValue> {
  return 'enable.idempotence' in props || conflictsWithIdempotence(props) ? {} : { 'enable.idempotence': true };
}
