/** A broker as librdkafka's statistics describe it. @publicApi */
export interface BrokerStatistics {
  /** librdkafka's broker name, `host:port/nodeid` (`/bootstrap` before the cluster's metadata arrived). */
  readonly broker: string;
  readonly nodeId: number;
  /** Round-trip times over the last interval in seconds; null when no request completed in it. */
  readonly rttAvgSeconds: number | null;
  readonly rttP99Seconds: number | null;
  readonly txErrors: number;
  readonly rxErrors: number;
  readonly requestTimeouts: number;
}

/** An assigned partition of a consumer. @publicApi */
export interface PartitionStatistics {
  readonly topic: string;
  readonly partition: number;
  /** High watermark minus the committed offset; null while unknown (nothing committed yet, no watermark). */
  readonly consumerLag: number | null;
  /** High watermark minus the stored offset; null while unknown. */
  readonly consumerLagStored: number | null;
}

/**
 * What the metrics read from one statistics JSON of librdkafka (see librdkafka's STATISTICS.md): a small object
 * instead of the whole document, so a snapshot kept between scrapes holds no more than it exposes.
 * @publicApi
 */
export interface ClientStatistics {
  /** The client handle's name, `client.id#type-n`: unique in the process. */
  readonly client: string;
  readonly type: string;
  /** Messages in the producer's queues (msg_cnt) and their bytes (msg_size). */
  readonly queueMessages: number;
  readonly queueBytes: number;
  readonly txBytes: number;
  readonly rxBytes: number;
  readonly txMessages: number;
  readonly rxMessages: number;
  readonly brokers: readonly BrokerStatistics[];
  readonly partitions: readonly PartitionStatistics[];
}

interface RawRtt {
  avg?: number;
  p99?: number;
  cnt?: number;
}
interface RawBroker {
  name?: string;
  nodeid?: number;
  rtt?: RawRtt;
  txerrs?: number;
  rxerrs?: number;
  req_timeouts?: number;
}
interface RawPartition {
  partition?: number;
  consumer_lag?: number;
  consumer_lag_stored?: number;
}
interface RawStatistics {
  name?: string;
  type?: string;
  msg_cnt?: number;
  msg_size?: number;
  tx_bytes?: number;
  rx_bytes?: number;
  txmsgs?: number;
  rxmsgs?: number;
  brokers?: Record<string, RawBroker>;
  topics?: Record<string, { partitions?: Record<string, RawPartition> }>;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** librdkafka reports -1 for a lag it cannot compute (no committed or stored offset, no watermark yet). */
const lag = (v: unknown): number | null => (typeof v === 'number' && v >= 0 ? v : null);
/** librdkafka's rtt values are microseconds; a window without a request reports zeros. */
const rtt = (r: RawRtt | undefined, v: number | undefined): number | null => (r && num(r.cnt) > 0 ? num(v) / 1e6 : null);

/**
 * Reads the figures the metrics export from one `stats_cb` JSON: one `JSON.parse` per statistics interval, and
 * nothing per record.
 * @param json librdkafka's statistics document
 * @returns the figures, or null when the text is not a statistics document
 * @publicApi
 */
export function parseStatistics(json: string): ClientStatistics | null {
  let raw: RawStatistics;
  try {
    raw = JSON.parse(json) as RawStatistics;
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object' || typeof raw.name !== 'string') return null;
  const brokers: BrokerStatistics[] = [];
  for (const b of Object.values(raw.brokers ?? {})) {
    brokers.push({
      broker: String(b.name),
      nodeId: num(b.nodeid),
      rttAvgSeconds: rtt(b.rtt, b.rtt?.avg),
      rttP99Seconds: rtt(b.rtt, b.rtt?.p99),
      txErrors: num(b.txerrs),
      rxErrors: num(b.rxerrs),
      requestTimeouts: num(b.req_timeouts),
    });
  }
  const partitions: PartitionStatistics[] = [];
  for (const [topic, t] of Object.entries(raw.topics ?? {})) {
    for (const p of Object.values(t.partitions ?? {})) {
      // Partition -1 is librdkafka's internal "unassigned" partition of a topic.
      if (typeof p.partition !== 'number' || p.partition < 0) continue;
      partitions.push({ topic, partition: p.partition, consumerLag: lag(p.consumer_lag), consumerLagStored: lag(p.consumer_lag_stored) });
    }
  }
  return {
    client: raw.name,
    type: String(raw.type ?? ''),
    queueMessages: num(raw.msg_cnt),
    queueBytes: num(raw.msg_size),
    txBytes: num(raw.tx_bytes),
    rxBytes: num(raw.rx_bytes),
    txMessages: num(raw.txmsgs),
    rxMessages: num(raw.rxmsgs),
    brokers,
    partitions,
  };
}
