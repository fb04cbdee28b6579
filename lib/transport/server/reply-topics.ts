import type { ClusterMetadata } from '../../client/cluster-metadata.js';

/** Looks up one topic's metadata (the producer's `listTopics`). @internal */
export type TopicLookup = (topic: string, timeoutMs: number) => Promise<ClusterMetadata>;

/** How long a reply topic's partition count is trusted before it is looked up again. */
const KNOWN_TTL_MS = 60_000;

/**
 * The partition counts of reply topics, so a request whose reply could not go is refused before its handler
 * runs instead of stalling its lane: librdkafka holds a record for a topic the cluster does not have for
 * `topic.metadata.propagation.max.ms` (30 s) before failing it. The lookup goes through the server's producer,
 * whose `allow.auto.create.topics` is off (see `SERVER_PRODUCER_DEFAULTS`): a metadata request naming a missing
 * topic would otherwise create it. Counts of existing topics are cached; missing ones are looked up each time
 * (a topic may be created meanwhile), concurrent lookups of one topic share a request.
 * @internal
 */
export class ReplyTopics {
  private readonly known = new Map<string, { partitions: number; until: number }>();
  private readonly inFlight = new Map<string, Promise<number | undefined>>();

  /**
   * @param lookup the metadata request
   * @param timeoutMs how long one lookup may take
   */
  constructor(
    private readonly lookup: TopicLookup,
    private readonly timeoutMs: number,
  ) {}

  /** The cached partition count of a topic, or undefined when it must be looked up. */
  cached(topic: string): number | undefined {
    const entry = this.known.get(topic);
    if (entry && entry.until > Date.now()) return entry.partitions;
    return undefined;
  }

  /**
   * @returns the topic's partition count; 0 when the cluster does not have it; undefined when the lookup failed
   *   (broker unreachable, timeout): the reply is then tried and bounded by `replyTimeoutMs`
   */
  partitions(topic: string): Promise<number | undefined> {
    const hit = this.cached(topic);
    if (hit !== undefined) return Promise.resolve(hit);
    let pending = this.inFlight.get(topic);
    if (!pending) {
      pending = this.fetch(topic).finally(() => this.inFlight.delete(topic));
      this.inFlight.set(topic, pending);
    }
    return pending;
  }

  /** Forgets a topic (a reply to it failed as unknown: it may have been deleted or shrunk). */
  forget(topic: string): void {
    this.known.delete(topic);
  }

  private async fetch(topic: string): Promise<number | undefined> {
    let metadata: ClusterMetadata;
    try {
      metadata = await this.lookup(topic, this.timeoutMs);
    } catch {
      return undefined;
    }
    const partitions = metadata.topics.get(topic)?.partitions.size ?? 0;
    if (partitions > 0) this.known.set(topic, { partitions, until: Date.now() + KNOWN_TTL_MS });
    return partitions;
  }
}
