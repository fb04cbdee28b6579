import type { WritePacket } from '@nestjs/microservices';
import { RequestTimeoutError } from '../../../transport/errors/request-timeout.error.js';
import type { RdKafkaMetrics, RequestOutcome } from '../rdkafka-metrics.js';

/**
 * A request's reply callback that also times the request, from now to its final reply, its error or its
 * timeout (once; a stream's earlier replies do not end it). A request unsubscribed before it ended is not
 * counted.
 * @param metrics where to count
 * @param topic the request's topic
 * @param callback the callback of Nest's `publish`
 * @internal
 */
export function timedRequest(
  metrics: RdKafkaMetrics,
  topic: string,
  callback: (packet: WritePacket) => void,
): (packet: WritePacket) => void {
  const started = performance.now();
  let ended = false;
  return (packet) => {
    if (!ended && (packet.err !== undefined || packet.isDisposed)) {
      ended = true;
      metrics.requestEnded(topic, outcomeOf(packet.err), (performance.now() - started) / 1000);
    }
    callback(packet);
  };
}

function outcomeOf(err: unknown): RequestOutcome {
  if (err === undefined || err === null) return 'success';
  return err instanceof RequestTimeoutError ? 'timeout' : 'error';
}
