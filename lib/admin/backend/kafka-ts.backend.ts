import type { AdminClientConfig, AdminLogger } from '../admin-options.interface.js';
import { notImplemented } from '../admin-error.mapper.js';
import { adminConnectionOf, unusableConfig, type AdminConnection } from './admin-connection.js';
import { AdminLifecycle } from './admin-lifecycle.js';
import { routeKafkaTsLogs, withSeedFailures } from './kafka-ts-logging.js';
import { ErrorCode, KafkaException } from '../../errors/index.js';
import type { KafkaTsCluster, KafkaTsModule } from './kafka-ts.types.js';

/** The package name, in a variable so TypeScript does not require the optional package to be installed. */
const KAFKA_TS = 'kafka-ts';

/** Why an operation needs kafka-ts, for the `_NOT_IMPLEMENTED` message when it is absent. */
export const WHY_KAFKA_TS = 'needs the optional package kafka-ts (npm i kafka-ts): kafkajs 2.2.4 has no encoder for this '
  + 'Kafka request and node-rdkafka 3.6.1 binds no such admin call';

/** kafka-ts's SASL provider for a translated mechanism (the same mechanisms as kafkajs's). */
function saslFor(kts: KafkaTsModule, sasl: AdminConnection['sasl']): unknown {
  if (!sasl) return null;
  if (sasl.mechanism === 'oauthbearer') {
    const token = sasl.token;
    return kts.oAuthBearer(async () => ({ access_token: await token() }));
  }
  const auth = { username: sasl.username, password: sasl.password };
  return sasl.mechanism === 'plain' ? kts.saslPlain(auth) : sasl.mechanism === 'scram-sha-512' ? kts.saslScramSha512(auth) : kts.saslScramSha256(auth);
}

/**
 * The exception for kafka-ts's "No seed brokers found", with the code of why: a refused SASL login is
 * `_AUTHENTICATION`, a TLS failure `_SSL`, anything else (refused, reset, timed out) `_TRANSPORT`.
 */
function seedFailure(reasons: readonly string[], cause: unknown): KafkaException {
  const text = reasons.join('; ');
  const code = /SASL|authenticat/i.test(text) ? ErrorCode._AUTHENTICATION : /TLS|SSL|certificate/i.test(text) ? ErrorCode._SSL : ErrorCode._TRANSPORT;
  return new KafkaException(code, `no seed broker accepted the connection (${text})`, undefined, { cause });
}

/**
 * Sends the admin requests neither node-rdkafka nor kafkajs implement (IncrementalAlterConfigs,
 * Describe/AlterUserScramCredentials, ElectLeaders, ListGroups v5 and ConsumerGroupDescribe for KIP-848
 * groups) through `kafka-ts`, a pure TypeScript Kafka client with encoders for every current request. Loaded
 * on first use; should it be missing, these operations reject with `_NOT_IMPLEMENTED`. Its logs go to the
 * admin's logger, never to stdout.
 * @internal
 */
export class KafkaTsBackend {
  readonly #config: AdminClientConfig;
  readonly #logger: AdminLogger | undefined;
  readonly #lifecycle: AdminLifecycle;
  #cluster: Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> | undefined;
  #unroute: (() => void) | undefined;

  /**
   * @param config librdkafka properties, translated on first use (admin-connection.ts)
   * @param logger receives kafka-ts's log lines (debug for its info chatter)
   * @param lifecycle the owning AdminClient's open/closed state
   */
  constructor(config: AdminClientConfig, logger?: AdminLogger, lifecycle = new AdminLifecycle()) {
    this.#config = config;
    this.#logger = logger;
    this.#lifecycle = lifecycle;
  }

  /** The connected kafka-ts cluster, loading and connecting it on first use (never once closed). */
  session(operation: string): Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> {
    if (this.#lifecycle.closed) return Promise.reject(this.#lifecycle.closedError(operation));
    this.#cluster ??= this.#open(operation);
    this.#cluster.catch(() => (this.#cluster = undefined));
    return this.#cluster;
  }

  async #open(operation: string): Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> {
    let kts: KafkaTsModule;
    try {
      const mod = (await import(KAFKA_TS)) as KafkaTsModule & { default?: KafkaTsModule };
      kts = typeof mod.createKafkaClient === 'function' ? mod : mod.default!;
    } catch {
      throw notImplemented(operation, WHY_KAFKA_TS);
    }
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
      await withSeedFailures(() => cluster.connect(), (address, reason) => {
        if (own.has(address)) reasons.push(`${address}: ${reason}`);
      });
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
