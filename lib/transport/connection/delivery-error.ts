import { ErrorCode, KafkaException } from '../../errors/index.js';
import type { BrokerErrorWatch } from './broker-error.watch.js';

/**
 * Says why a record was not delivered when librdkafka only says `Local: Message timed out`: the record waited
 * `message.timeout.ms` for a broker, and the last problem librdkafka reported with the brokers is the reason.
 * Other errors are passed on unchanged.
 * @param what e.g. `event to orders`
 * @param since when the record was produced (ms since the epoch)
 * @internal
 */
export function explainDeliveryFailure(err: unknown, what: string, since: number, watch: BrokerErrorWatch): unknown {
  if (!(err instanceof KafkaException) || err.code !== ErrorCode._MSG_TIMED_OUT) return err;
  const why = watch.lastSince(since) ?? 'no broker acknowledged it, and librdkafka reported no connection error (a hung broker?)';
  return new KafkaException(
    ErrorCode._MSG_TIMED_OUT,
    `${what} not delivered within ${Date.now() - since} ms (message.timeout.ms): ${why}`,
    undefined,
    { cause: err },
  );
}
