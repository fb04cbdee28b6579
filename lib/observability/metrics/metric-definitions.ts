/** A metric's kind, as Prometheus and OpenTelemetry both know it. @publicApi */
export type MetricKind = 'counter' | 'gauge' | 'histogram';

/**
 * One metric: its Prometheus name (base units, `_total` on counters) and its OpenTelemetry name (dotted, the
 * unit apart), help text and label names. Every metric the package exports is listed in `METRICS`.
 * @publicApi
 */
export interface MetricDefinition {
  readonly kind: MetricKind;
  readonly prometheus: string;
  readonly openTelemetry: string;
  /** UCUM unit for OpenTelemetry (`s`, `By`, `{record}`). */
  readonly unit: string;
  readonly help: string;
  readonly labels: readonly string[];
}

const def = (
  kind: MetricKind,
  prometheus: string,
  openTelemetry: string,
  unit: string,
  labels: readonly string[],
  help: string,
): MetricDefinition => Object.freeze({ kind, prometheus, openTelemetry, unit, labels: Object.freeze([...labels]), help });

/**
 * Handler duration buckets in seconds: Prometheus's defaults with finer steps below 5 ms, where most handlers of
 * an event stream finish (the events bench's handlers take microseconds; a database call takes milliseconds).
 */
export const DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]);

/**
 * Every metric, by the key the code uses. Transport metrics start with `nestrdkafka_`, metrics read from
 * librdkafka's statistics with `kafka_` (what they measure is the Kafka client's, not ours).
 * @publicApi
 */
export const METRICS = Object.freeze({
  // Transport: the server.
  handled: def(
    'counter',
    'nestrdkafka_records_handled_total',
    'nestrdkafka.records.handled',
    '{record}',
    ['topic', 'outcome'],
    'Records the server finished, by outcome: success, skipped (by the error policy, or no handler, or too large), stopped (partition stopped by the error policy), aborted (server closing or partition revoked)',
  ),
  failed: def(
    'counter',
    'nestrdkafka_records_failed_total',
    'nestrdkafka.records.failed',
    '{record}',
    ['topic'],
    'Records whose handler (or decoding) failed and the error policy gave up on (skipped or stopped them)',
  ),
  retried: def(
    'counter',
    'nestrdkafka_records_retried_total',
    'nestrdkafka.records.retried',
    '{attempt}',
    ['topic'],
    'Handler attempts that failed and were retried by the error policy',
  ),
  deadLettered: def(
    'counter',
    'nestrdkafka_records_dead_lettered_total',
    'nestrdkafka.records.dead_lettered',
    '{record}',
    ['topic'],
    'Records sent to a dead-letter topic, by the topic they came from',
  ),
  handlerDuration: def(
    'histogram',
    'nestrdkafka_handler_duration_seconds',
    'nestrdkafka.handler.duration',
    's',
    ['topic'],
    'Time from handing a record to the dispatcher until its handling ended (decoding, handler, retries, replies)',
  ),
  inFlight: def(
    'gauge',
    'nestrdkafka_records_in_flight',
    'nestrdkafka.records.in_flight',
    '{record}',
    ['group'],
    'Records handed to the dispatcher whose handling has not ended',
  ),
  buffered: def(
    'gauge',
    'nestrdkafka_buffered_records',
    'nestrdkafka.buffered_records',
    '{record}',
    ['group'],
    'Records fetched and not finished (queued or running); fetching waits at maxBufferedRecords',
  ),
  bufferFill: def(
    'gauge',
    'nestrdkafka_buffer_fill_ratio',
    'nestrdkafka.buffer.fill_ratio',
    '1',
    ['group'],
    'Buffered records over maxBufferedRecords (1 = fetching waits for handlers)',
  ),
  rebalances: def(
    'counter',
    'nestrdkafka_rebalances_total',
    'nestrdkafka.rebalances',
    '{rebalance}',
    ['group', 'kind'],
    'Rebalance events of the server consumer, by kind: assign, revoke, lost',
  ),
  // Transport: the client.
  requestDuration: def(
    'histogram',
    'nestrdkafka_request_duration_seconds',
    'nestrdkafka.request.duration',
    's',
    ['topic', 'outcome'],
    'Request-reply latency of ClientRdKafka.send(), from the request to its final reply, by outcome: success, error, timeout',
  ),
  requestTimeouts: def(
    'counter',
    'nestrdkafka_request_timeouts_total',
    'nestrdkafka.request.timeouts',
    '{request}',
    ['topic'],
    'Requests that got no (next) reply within requestTimeoutMs',
  ),
  // librdkafka statistics.
  consumerLag: def(
    'gauge',
    'kafka_consumer_lag_records',
    'kafka.consumer.lag',
    '{record}',
    ['client', 'topic', 'partition'],
    "High watermark minus the committed offset, per assigned partition (librdkafka's consumer_lag)",
  ),
  consumerLagStored: def(
    'gauge',
    'kafka_consumer_lag_stored_records',
    'kafka.consumer.lag_stored',
    '{record}',
    ['client', 'topic', 'partition'],
    "High watermark minus the stored offset (handled, not yet committed), per assigned partition (librdkafka's consumer_lag_stored)",
  ),
  brokerRttAvg: def(
    'gauge',
    'kafka_broker_rtt_avg_seconds',
    'kafka.broker.rtt.avg',
    's',
    ['client', 'broker'],
    "Average broker round-trip time over the last statistics interval (librdkafka's rtt.avg)",
  ),
  brokerRttP99: def(
    'gauge',
    'kafka_broker_rtt_p99_seconds',
    'kafka.broker.rtt.p99',
    's',
    ['client', 'broker'],
    "99th percentile broker round-trip time over the last statistics interval (librdkafka's rtt.p99)",
  ),
  producerQueueMessages: def(
    'gauge',
    'kafka_producer_queue_messages',
    'kafka.producer.queue.messages',
    '{message}',
    ['client'],
    "Messages waiting in the producer's queues to be sent or acknowledged (librdkafka's msg_cnt)",
  ),
  producerQueueBytes: def(
    'gauge',
    'kafka_producer_queue_bytes',
    'kafka.producer.queue.size',
    'By',
    ['client'],
    "Bytes of the messages in the producer's queues (librdkafka's msg_size)",
  ),
  txBytes: def(
    'counter',
    'kafka_client_transmitted_bytes_total',
    'kafka.client.transmitted',
    'By',
    ['client'],
    "Bytes sent to brokers (librdkafka's tx_bytes)",
  ),
  rxBytes: def(
    'counter',
    'kafka_client_received_bytes_total',
    'kafka.client.received',
    'By',
    ['client'],
    "Bytes received from brokers (librdkafka's rx_bytes)",
  ),
  txMessages: def(
    'counter',
    'kafka_client_transmitted_messages_total',
    'kafka.client.transmitted_messages',
    '{message}',
    ['client'],
    "Messages sent to brokers (librdkafka's txmsgs)",
  ),
  rxMessages: def(
    'counter',
    'kafka_client_received_messages_total',
    'kafka.client.received_messages',
    '{message}',
    ['client'],
    "Messages received from brokers (librdkafka's rxmsgs)",
  ),
  txErrors: def(
    'counter',
    'kafka_broker_transmit_errors_total',
    'kafka.broker.transmit_errors',
    '{error}',
    ['client', 'broker'],
    "Transmission errors per broker (librdkafka's txerrs)",
  ),
  rxErrors: def(
    'counter',
    'kafka_broker_receive_errors_total',
    'kafka.broker.receive_errors',
    '{error}',
    ['client', 'broker'],
    "Receive errors per broker (librdkafka's rxerrs)",
  ),
  requestTimeoutsBroker: def(
    'counter',
    'kafka_broker_request_timeouts_total',
    'kafka.broker.request_timeouts',
    '{request}',
    ['client', 'broker'],
    "Requests to a broker that timed out (librdkafka's req_timeouts)",
  ),
});

/** The key of a metric in `METRICS`. @publicApi */
export type MetricKey = keyof typeof METRICS;

/**
 * OpenTelemetry attribute names of our labels: the messaging semantic conventions' where one exists.
 * @internal
 */
export const OTEL_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({
  topic: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  group: 'messaging.consumer.group.name',
  client: 'messaging.client.id',
  broker: 'nestrdkafka.broker',
  outcome: 'nestrdkafka.outcome',
  kind: 'nestrdkafka.rebalance.kind',
});
