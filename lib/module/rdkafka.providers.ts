import { type InjectionToken, Logger, type LoggerService, type Provider } from '@nestjs/common';
import { RdKafkaAdminService } from '../admin/rdkafka-admin.service.js';
import { RdKafkaHealthIndicator } from '../health/rdkafka.health.js';
import { ClientRdKafka } from '../transport/client/client-rdkafka.js';
import { ServerRdKafka } from '../transport/server/server-rdkafka.js';
import type { RdKafkaModuleOptions } from './interfaces/rdkafka-module-options.interface.js';
import { RDKAFKA_MODULE_OPTIONS } from './rdkafka.constants.js';
import { RdKafkaClientMonitor } from './rdkafka-client.monitor.js';
import { RdKafkaLifecycle } from './rdkafka.lifecycle.js';
import { adminConfigOf, resolveModuleOptions, type ResolvedRdKafkaOptions } from './rdkafka-options.resolver.js';
import { RdKafkaProducerService } from './rdkafka-producer.service.js';
import { RdKafkaMetrics } from '../observability/metrics/rdkafka-metrics.js';
import {
  getRdKafkaAdminToken,
  getRdKafkaClientToken,
  getRdKafkaHealthToken,
  getRdKafkaProducerToken,
  getRdKafkaServerToken,
  getRdKafkaTransportId,
} from './rdkafka.tokens.js';

/** The options with defaults applied; local to one module instance. @internal */
export const RDKAFKA_RESOLVED_OPTIONS = Symbol('nest-rdkafka:resolved-options');
/** The module's `RdKafkaMetrics` (null without `metrics`); local to one module instance. @internal */
export const RDKAFKA_METRICS = Symbol('nest-rdkafka:metrics');

type R = ResolvedRdKafkaOptions;
type M = RdKafkaClientMonitor;
type X = RdKafkaMetrics | null;

/**
 * The providers of one `RdKafkaModule` instance. Exported ones are named by `name`; the options, the monitor
 * and the life-cycle stay local to the instance, so several instances never share state.
 * @internal
 */
export function createRdKafkaProviders(name?: string): Provider[] {
  const [producerToken, clientToken, adminToken, serverToken] = [
    getRdKafkaProducerToken(name),
    getRdKafkaClientToken(name),
    getRdKafkaAdminToken(name),
    getRdKafkaServerToken(name),
  ];
  return [
    {
      provide: RDKAFKA_RESOLVED_OPTIONS,
      useFactory: (o: RdKafkaModuleOptions) => resolveModuleOptions(o),
      inject: [RDKAFKA_MODULE_OPTIONS],
    },
    { provide: RdKafkaClientMonitor, useFactory: () => new RdKafkaClientMonitor() },
    {
      provide: RDKAFKA_METRICS,
      useFactory: (o: R): X => (o.metrics ? new RdKafkaMetrics(o.metrics, loggerOf(o)) : null),
      inject: [RDKAFKA_RESOLVED_OPTIONS],
    },
    {
      provide: producerToken,
      useFactory: createProducerService,
      inject: [RDKAFKA_RESOLVED_OPTIONS, RdKafkaClientMonitor, RDKAFKA_METRICS],
    },
    { provide: clientToken, useFactory: createClient, inject: [RDKAFKA_RESOLVED_OPTIONS, RdKafkaClientMonitor, RDKAFKA_METRICS] },
    { provide: adminToken, useFactory: (o: R) => new RdKafkaAdminService(adminConfigOf(o)), inject: [RDKAFKA_RESOLVED_OPTIONS] },
    {
      provide: serverToken,
      useFactory: (o: R, monitor: M, metrics: X) => createServer(o, monitor, metrics, name),
      inject: [RDKAFKA_RESOLVED_OPTIONS, RdKafkaClientMonitor, RDKAFKA_METRICS],
    },
    {
      provide: getRdKafkaHealthToken(name),
      useFactory: (o: R, monitor: M, producer: RdKafkaProducerService, server: ServerRdKafka) =>
        new RdKafkaHealthIndicator({
          monitor,
          producer,
          server,
          options: o.health,
          // The transport's own default, see ServerRdKafka.
          autoOffsetReset: String(o.consumer?.['auto.offset.reset'] ?? 'earliest'),
        }),
      inject: [RDKAFKA_RESOLVED_OPTIONS, RdKafkaClientMonitor, producerToken, serverToken],
    },
    {
      provide: RdKafkaLifecycle,
      useFactory: (o: R, monitor: M, admin: RdKafkaAdminService, client: ClientRdKafka, metrics: X) =>
        new RdKafkaLifecycle(o, monitor, admin, client, loggerOf(o), metrics),
      inject: [RDKAFKA_RESOLVED_OPTIONS, RdKafkaClientMonitor, adminToken, clientToken, RDKAFKA_METRICS],
    },
  ];
}

/** The tokens a module instance exports. @internal */
export function exportedRdKafkaTokens(name?: string): InjectionToken[] {
  return [
    getRdKafkaProducerToken(name),
    getRdKafkaClientToken(name),
    getRdKafkaAdminToken(name),
    getRdKafkaServerToken(name),
    getRdKafkaHealthToken(name),
  ];
}

/**
 * The user's logger, or a Nest `Logger` without a context of its own (it follows the application's logger).
 * Without one because every component passes its context (`ServerRdKafka`, `RdKafkaProducerService`…) on each
 * call, and a `Logger` created with a context prints such an extra context argument as a second message.
 */
function loggerOf(o: R): LoggerService {
  return o.logger ?? new Logger();
}

function createProducerService(o: R, monitor: M, metrics: X): RdKafkaProducerService {
  const client = monitor.configFor('producer', o.client);
  return new RdKafkaProducerService({
    client: metrics?.instrumentConfig(client) ?? client,
    producer: o.producer,
    serializer: o.serializer,
    logger: loggerOf(o),
    shutdownTimeoutMs: o.shutdownTimeoutMs,
    tracing: o.tracing,
  });
}

function createClient(o: R, monitor: M, metrics: X): ClientRdKafka {
  return new ClientRdKafka({
    metrics: metrics ?? undefined,
    client: monitor.configFor('client', o.client),
    producer: o.producer,
    consumer: o.consumer,
    requestTimeoutMs: o.requestTimeoutMs,
    valueSerializer: o.serializer,
    valueDeserializer: o.deserializer,
    logger: loggerOf(o),
    tracing: o.tracing,
  });
}

/** A named module's server takes the module's transport id, so handlers can be declared for it alone. */
function createServer(o: R, monitor: M, metrics: X, name?: string): ServerRdKafka {
  const server = new ServerRdKafka({
    transportId: name ? getRdKafkaTransportId(name) : undefined,
    ...o.server,
    metrics: metrics ?? undefined,
    client: monitor.configFor('server', o.client),
    consumer: o.consumer,
    producer: o.producer,
    valueSerializer: o.serializer,
    valueDeserializer: o.deserializer,
    logger: loggerOf(o),
    tracing: o.server?.tracing ?? o.tracing,
  });
  monitor.watchServer(server);
  return server;
}
