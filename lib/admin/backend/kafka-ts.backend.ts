import type { AdminLogger, AdminProperties } from '../admin-options.interface.js';
import { adminConnectionOf, unusableConfig, type AdminConnection } from './admin-connection.js';
import { AdminLifecycle } from './admin-lifecycle.js';
import { importOptional, type PackageImporter } from './import-optional.js';
import { routeKafkaTsLogs, withSeedFailures } from './kafka-ts-logging.js';
import { ErrorCode, KafkaException } from '../../errors/index.js';
import type { KafkaTsCluster, KafkaTsModule } from './kafka-ts.types.js';

/** The package name, in a variable so TypeScript and bundlers do not resolve it at build time. */
const KAFKA_TS = 'kafka-ts';

/** kafka-ts's SASL provider for a translated mechanism (the same mechanisms as kafkajs's). */
function saslFor(kts: KafkaTsModule, sasl: AdminConnection['sasl']): unknown {
  if (!sasl) return null;
  if (sasl.mechanism === 'oauthbearer') {
    const token = sasl.token;
    return kts.oAuthBearer(async () => ({ access_token: await token() }));
  }
  const auth = { username: sasl.username, password: sasl.password };
  return sasl.mechanism === 'plain'
    ? kts.saslPlain(auth)
    : sasl.mechanism === 'scram-sha-512'
      ? kts.saslScramSha512(auth)
      : kts.saslScramSha256(auth);
}

/**
 * The exception for kafka-ts's "No seed brokers found", with the code of why: a refused SASL login is
 * `_AUTHENTICATION`, a TLS failure `_SSL`, anything else (refused, reset, timed out) `_TRANSPORT`.
 */
function seedFailure(reasons: readonly string[], cause: unknown): KafkaException {
  const text = reasons.join('; ');
  const code = /SASL|authenticat/i.test(text)
    ? ErrorCode._AUTHENTICATION
    : /TLS|SSL|certificate/i.test(text)
      ? ErrorCode._SSL
      : ErrorCode._TRANSPORT;
  return new KafkaException(code, `no seed broker accepted the connection (${text})`, undefined, { cause });
}

/**
 * Sends the admin requests neither node-rdkafka nor kafkajs implement (IncrementalAlterConfigs,
 * Describe/AlterUserScramCredentials, ElectLeaders, ListGroups v5 and ConsumerGroupDescribe for KIP-848
 * groups) through `kafka-ts`, a pure TypeScript Kafka client with encoders for every current request (kafkajs
 * 2.2.4 has no encoder for them and node-rdkafka 3.6.1 binds no such admin call). A dependency, but loaded on
 * first use so importing nest-rdkafka never loads it; should it be missing anyway, these operations reject with
 * `MissingDependencyError` naming kafka-ts and the operation. Its logs go to the admin's logger, never to stdout.
 * @internal
 */
export class KafkaTsBackend {
  readonly #config: AdminProperties;
  readonly #logger: AdminLogger | undefined;
  readonly #lifecycle: AdminLifecycle;
  readonly #importer: PackageImporter | undefined;
  #cluster: Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> | undefined;
  #unroute: (() => void) | undefined;

  /**
   * @param config librdkafka properties, translated on first use (admin-connection.ts)
   * @param logger receives kafka-ts's log lines (debug for its info chatter)
   * @param lifecycle the owning AdminClient's open/closed state
   * @param importer how kafka-ts is imported (a seam for tests) @default a dynamic `import()`
   */
  constructor(config: AdminProperties, logger?: AdminLogger, lifecycle = new AdminLifecycle(), importer?: PackageImporter) {
    this.#config = config;
    this.#logger = logger;
    this.#lifecycle = lifecycle;
    this.#importer = importer;
  }

  /** The connected kafka-ts cluster, loading and connecting it on first use (never once closed). */
  session(operation: string): Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> {
    if (this.#lifecycle.closed) return Promise.reject(this.#lifecycle.closedError(operation));
    this.#cluster ??= this.#open(operation);
    this.#cluster.catch(() => (this.#cluster = undefined));
    return this.#cluster;
  }

  async #open(operation: string): Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> {
    const mod = (await importOptional(KAFKA_TS, `AdminClient.${operation}`, this.#importer)) as KafkaTsModule & { default?: KafkaTsModule };
    const kts = typeof mod.createKafkaClient === 'function' ? mod : mod.default!;
    this.#unroute ??= routeKafkaTsLogs(kts, this.#logger);
    let connection: AdminConnection;
    try {
      connection = adminConnectionOf(this.#config);
    } catch (e) {
      throw unusableConfig(operation, 'kafka-ts', e);
    }
    const cluster = kts.createKafkaClient(this.#options(kts, connection)).createCluster();
    const own = new Set(connection.brokers.map((b) => `${b.host}:${b.port}`));
    const reasons: string[] = [];
    try {
      await withSeedFailures(
        () => cluster.connect(),
        (address, reason) => {
          if (own.has(address)) reasons.push(`${address}: ${reason}`);
        },
      );
    } catch (e) {
      await cluster.disconnect().catch(() => undefined);
      throw reasons.length > 0 ? seedFailure(reasons, e) : e;
    }
    return { cluster, kts };
  }

  #options(kts: KafkaTsModule, c: AdminConnection): Parameters<KafkaTsModule['createKafkaClient']>[0] {
    return {
      clientId: c.clientId,
      bootstrapServers: c.brokers.map((b) => ({ host: b.host, port: b.port })),
      sasl: saslFor(kts, c.sasl),
      ssl: c.tls ?? null,
      requestTimeout: c.requestTimeoutMs,
      connectTimeout: c.connectionTimeoutMs,
    };
  }

  /**
   * Sends a request; a response carrying an error code is returned as it is (kafka-ts throws it, with the
   * decoded response attached), so the caller can report each resource's own error.
   */
  async send<R>(operation: string, api: keyof KafkaTsModule['API'], body: unknown, nodeId?: number): Promise<R> {
    const { cluster, kts } = await this.session(operation);
    this.#lifecycle.assertOpen(operation);
    const send = nodeId === undefined ? cluster.sendRequest.bind(cluster) : cluster.sendRequestToNode(nodeId);
    try {
      return (await send(kts.API[api], body)) as R;
    } catch (e) {
      const response = (e as { response?: unknown }).response;
      if (response && typeof response === 'object') return response as R;
      throw e;
    }
  }

  /** Disconnects (idempotent); with the lifecycle closed, later calls reject with `_STATE`. */
  async close(): Promise<void> {
    const open = this.#cluster;
    this.#cluster = undefined;
    if (open) await open.then(({ cluster }) => cluster.disconnect()).catch(() => undefined);
    this.#unroute?.();
    this.#unroute = undefined;
  }
}
