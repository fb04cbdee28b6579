// Types only from @nestjs/terminus (an optional peer): see load-terminus.ts.
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ClientState } from '../client/client-state.js';
import type { ClusterMetadata } from '../client/cluster-metadata.js';
import type { RdKafkaHealthOptions } from '../module/interfaces/rdkafka-module-options.interface.js';
import type { RdKafkaClientMonitor } from '../module/rdkafka-client.monitor.js';
import type { RdKafkaProducerService } from '../module/rdkafka-producer.service.js';
import { RdKafkaStatus } from '../transport/rdkafka-status.enum.js';
import type { ServerRdKafka } from '../transport/server/server-rdkafka.js';
import { type ConsumerSample, ConsumerProgress, type ProgressConsumer } from './consumer-progress.js';
import { loadTerminus, type TerminusImporter, type TerminusModule } from './load-terminus.js';

/** A librdkafka client of the application, asked for metadata over its own connections (in the indicator's constructor's type; not exported). */
export interface MetadataClient {
  readonly state: ClientState;
  listTopics(topic: undefined, timeoutMs: number): Promise<ClusterMetadata>;
}

/** What the indicator checks; the module builds it (the indicator's constructor takes it; not exported). */
export interface RdKafkaHealthSources {
  monitor: RdKafkaClientMonitor;
  producer: Pick<RdKafkaProducerService, 'state' | 'pending'> & { unwrap(): MetadataClient };
  server: Pick<ServerRdKafka, 'unwrap' | 'statusReason'>;
  options: Required<RdKafkaHealthOptions>;
  /** The server consumer's `auto.offset.reset` (the transport's default is `earliest`). */
  autoOffsetReset: string;
  /** @internal test seam */
  importTerminus?: TerminusImporter;
}

/** The details of one check, also what the terminus result carries. @publicApi */
export interface RdKafkaHealthReport {
  readonly healthy: boolean;
  /** Why it is down (empty when healthy). */
  readonly problems: readonly string[];
  readonly brokers: { readonly reachable: boolean; readonly count: number };
  /** null when the module's server is not listening (no consumer to check). */
  readonly consumer: (ConsumerSample & { readonly status: string; readonly stalled: readonly string[] }) | null;
  readonly producer: { readonly state: string; readonly pending: number; readonly fatalError: string | null };
}

/**
 * A `@nestjs/terminus` health indicator for the module's clients: the brokers answer the application's own
 * librdkafka clients, the server's consumer has partitions and is not stalled (lag above zero with no committed
 * progress for `stallTimeoutMs`), and no client is in a fatal error. `@nestjs/terminus` is loaded on the first check; without it `isHealthy()` rejects
 * with `MissingDependencyError` (`report()` works without it).
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.kafka.isHealthy('kafka')]); }
 * @publicApi
 */
export class RdKafkaHealthIndicator {
  readonly #s: RdKafkaHealthSources;
  readonly #progress: ConsumerProgress;
  #terminus: Promise<TerminusModule> | null = null;

  /** @param sources the module's clients and thresholds */
  constructor(sources: RdKafkaHealthSources) {
    this.#s = sources;
    this.#progress = new ConsumerProgress(['earliest', 'smallest', 'beginning'].includes(sources.autoOffsetReset));
  }

  /**
   * The terminus result under `key`: `up` or `down` with the report's details.
   * @param key the result's key @default 'kafka'
   * @throws MissingDependencyError when `@nestjs/terminus` is not installed
   */
  async isHealthy<const Key extends string = 'kafka'>(key: Key = 'kafka' as Key): Promise<HealthIndicatorResult<Key>> {
    this.#terminus ??= loadTerminus(this.#s.importTerminus);
    const terminus = await this.#terminus.catch((err: unknown) => {
      this.#terminus = null;
      throw err;
    });
    const report = await this.report();
    const session = new terminus.HealthIndicatorService().check(key);
    const details = { ...report } as Record<string, unknown>;
    delete details.healthy;
    return report.healthy ? session.up(details) : session.down(details);
  }

  /** Runs the checks without terminus. */
  async report(): Promise<RdKafkaHealthReport> {
    const problems: string[] = [];
    const [brokers, consumer] = await Promise.all([this.brokers(problems), this.consumer(problems)]);
    const producer = this.producer(problems);
    return { healthy: problems.length === 0, problems, brokers, consumer, producer };
  }

  /**
   * Whether the cluster answers the application's own clients. Why not an admin client: its separate connection
   * (kafkajs) kept asking a hung broker, so health said down for 28 s of a 30 s hang of one broker in three
   * while records flowed again after 4-8 s. Each librdkafka client picks a broker by itself (and avoids one
   * with a request outstanding), so the first answer of any says what the application can reach.
   */
  private async brokers(problems: string[]): Promise<RdKafkaHealthReport['brokers']> {
    const clients = this.metadataClients();
    if (clients.length === 0) {
      problems.push('brokers unknown: no client of the module is connected');
      return { reachable: false, count: 0 };
    }
    try {
      const cluster = await Promise.any(clients.map((c) => c.listTopics(undefined, this.#s.options.timeoutMs)));
      if (cluster.brokers.size === 0) problems.push('no broker in the cluster metadata');
      return { reachable: cluster.brokers.size > 0, count: cluster.brokers.size };
    } catch (err) {
      const first = err instanceof AggregateError ? err.errors[0] : err;
      problems.push(
        `brokers unreachable: no answer to ${clients.length} client(s) within ${this.#s.options.timeoutMs} ms: ${String(first)}`,
      );
      return { reachable: false, count: 0 };
    }
  }

  /** The server's consumer and producer while it listens, and the producer service's producer, when connected. */
  private metadataClients(): MetadataClient[] {
    const { monitor, server, producer } = this.#s;
    const clients: MetadataClient[] = [producer.unwrap()];
    if (monitor.serverRunning) {
      try {
        clients.push(...server.unwrap<[MetadataClient, MetadataClient]>());
      } catch {
        // Not listening yet (or any more): the producer stands alone.
      }
    }
    return clients.filter((c) => c?.state === ClientState.CONNECTED);
  }

  private async consumer(problems: string[]): Promise<RdKafkaHealthReport['consumer']> {
    const { monitor, options } = this.#s;
    const status = monitor.serverStatus;
    const fatal = monitor.fatalError('server');
    if (fatal) problems.push(`server fatal error: ${fatal.toString()}`);
    if (status === RdKafkaStatus.CRASHED) problems.push('server crashed');
    if (status === RdKafkaStatus.UNAUTHORIZED) problems.push(`server unauthorized: ${this.#s.server.statusReason ?? 'see the log'}`);
    if (!monitor.serverRunning) return null;
    let sample: ConsumerSample;
    try {
      sample = await this.#progress.sample(this.#s.server.unwrap<[ProgressConsumer, unknown]>()[0], options.timeoutMs);
    } catch (err) {
      problems.push(`consumer check failed: ${String(err)}`);
      return null;
    }
    const stalled = sample.partitions.filter((p) => p.stalledForMs >= options.stallTimeoutMs).map((p) => `${p.topic}[${p.partition}]`);
    if (stalled.length > 0)
      problems.push(`stalled partitions (lag without progress for ${options.stallTimeoutMs} ms): ${stalled.join(', ')}`);
    // Rebalancing is a passing state: only a long time without partitions counts.
    if (options.requireAssignment && sample.assigned === 0 && sample.unassignedForMs >= options.unassignedTimeoutMs) {
      problems.push(`no partition assigned for ${sample.unassignedForMs} ms`);
    }
    return { ...sample, status: status ?? 'unknown', stalled };
  }

  private producer(problems: string[]): RdKafkaHealthReport['producer'] {
    const { producer, monitor } = this.#s;
    const fatal = monitor.fatalError('producer') ?? monitor.fatalError('client');
    if (fatal) problems.push(`producer fatal error: ${fatal.toString()}`);
    const state = producer.state;
    if (state === ClientState.CLOSED || state === ClientState.CLOSING) problems.push(`producer is ${state}`);
    return { state, pending: producer.pending, fatalError: fatal ? fatal.toString() : null };
  }
}
