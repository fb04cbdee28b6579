import type { AdminProperties } from '../admin-options.interface.js';
import { adminConnectionOf, unusableConfig, type AdminConnection } from './admin-connection.js';
import { importOptional, type PackageImporter } from './import-optional.js';
import type { KafkaTsCluster, KafkaTsModule } from './kafka-ts.types.js';

/** The package name, in a variable so TypeScript does not require the optional package to be installed. */
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
 * Sends the admin requests neither node-rdkafka nor kafkajs implement (IncrementalAlterConfigs,
 * Describe/AlterUserScramCredentials, ElectLeaders) through the optional `kafka-ts` package, a pure
 * TypeScript Kafka client with encoders for every current request (kafkajs 2.2.4 has no encoder for them and
 * node-rdkafka 3.6.1 binds no such admin call). Loaded on first use; when it is not installed, these
 * operations reject with `MissingDependencyError` naming kafka-ts and the operation.
 * @internal
 */
export class KafkaTsBackend {
  readonly #config: AdminProperties;
  readonly #importer: PackageImporter | undefined;
  #cluster: Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> | undefined;

  /**
   * @param config librdkafka-style properties, translated on first use
   * @param importer how kafka-ts is imported (a seam for tests) @default a dynamic `import()`
   */
  constructor(config: AdminProperties, importer?: PackageImporter) {
    this.#config = config;
    this.#importer = importer;
  }

  /** The connected kafka-ts cluster, loading and connecting it on first use. */
  session(operation: string): Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> {
    this.#cluster ??= this.#open(operation);
    this.#cluster.catch(() => (this.#cluster = undefined));
    return this.#cluster;
  }

  async #open(operation: string): Promise<{ cluster: KafkaTsCluster; kts: KafkaTsModule }> {
    const mod = (await importOptional(KAFKA_TS, `AdminClient.${operation}`, this.#importer)) as KafkaTsModule & { default?: KafkaTsModule };
    const kts = typeof mod.createKafkaClient === 'function' ? mod : mod.default!;
    let connection: AdminConnection;
    try {
      connection = adminConnectionOf(this.#config);
    } catch (e) {
      throw unusableConfig(operation, 'kafka-ts', e);
    }
    const cluster = kts.createKafkaClient(this.#options(kts, connection)).createCluster();
    await cluster.connect();
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
    const send = nodeId === undefined ? cluster.sendRequest.bind(cluster) : cluster.sendRequestToNode(nodeId);
    try {
      return (await send(kts.API[api], body)) as R;
    } catch (e) {
      const response = (e as { response?: unknown }).response;
      if (response && typeof response === 'object') return response as R;
      throw e;
    }
  }

  async close(): Promise<void> {
    const open = this.#cluster;
    this.#cluster = undefined;
    if (open) await open.then(({ cluster }) => cluster.disconnect()).catch(() => undefined);
  }
}
