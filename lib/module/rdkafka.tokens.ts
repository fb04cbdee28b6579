import { RdKafkaHealthIndicator } from '../health/rdkafka.health.js';
import { RdKafkaAdminService } from '../admin/rdkafka-admin.service.js';
import { ClientRdKafka } from '../transport/client/client-rdkafka.js';
import { ServerRdKafka } from '../transport/server/server-rdkafka.js';
import { RdKafkaProducerService } from './rdkafka-producer.service.js';

/** A provider token: the class for the unnamed module, a namespaced string for a named one. */
type Token<T> = (abstract new (...args: never[]) => T) | string;

function named<T>(role: string, unnamed: Token<T>, name?: string): Token<T> {
  return name === undefined || name === '' ? unnamed : `rdkafka:${role}:${name}`;
}

/**
 * The injection token of a module's `ClientRdKafka`.
 * @param name the module's `name`; omit for the unnamed module (the token is then the class)
 * @publicApi
 */
export function getRdKafkaClientToken(name?: string): Token<ClientRdKafka> {
  return named('client', ClientRdKafka, name);
}

/**
 * The injection token of a module's `RdKafkaAdminService`.
 * @param name the module's `name`; omit for the unnamed module (the token is then the class)
 * @publicApi
 */
export function getRdKafkaAdminToken(name?: string): Token<RdKafkaAdminService> {
  return named('admin', RdKafkaAdminService, name);
}

/**
 * The injection token of a module's `RdKafkaProducerService`.
 * @param name the module's `name`; omit for the unnamed module (the token is then the class)
 * @publicApi
 */
export function getRdKafkaProducerToken(name?: string): Token<RdKafkaProducerService> {
  return named('producer', RdKafkaProducerService, name);
}

/**
 * The injection token of a module's `ServerRdKafka`: pass it to `app.connectMicroservice({ strategy })` so the
 * server shares the module's config, logger and health indicator.
 * @param name the module's `name`; omit for the unnamed module (the token is then the class)
 * @publicApi
 */
export function getRdKafkaServerToken(name?: string): Token<ServerRdKafka> {
  return named('server', ServerRdKafka, name);
}

/**
 * The injection token of a module's `RdKafkaHealthIndicator`.
 * @param name the module's `name`; omit for the unnamed module (the token is then the class)
 * @publicApi
 */
export function getRdKafkaHealthToken(name?: string): Token<RdKafkaHealthIndicator> {
  return named('health', RdKafkaHealthIndicator, name);
}

/**
 * The Nest transport id of a named module's server: declare a handler for that server only with
 * `@EventPattern(topic, getRdKafkaTransportId(name))` (or `@MessagePattern`). A registry symbol, so it is the
 * same in the package's CommonJS and ES module builds.
 * @param name the module's `name`
 * @example @EventPattern('orders', getRdKafkaTransportId('east')) onOrder(@Payload() order: Order) {}
 * @publicApi
 */
export function getRdKafkaTransportId(name: string): symbol {
  return Symbol.for(`nest-rdkafka:transport:${name}`);
}
