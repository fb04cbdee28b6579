/**
 * nest-rdkafka: a NestJS microservice transport, client layer and admin for Apache Kafka on librdkafka.
 * This barrel is the package's one public entry.
 */
export { builtinFeatures, libversion } from './version.js';
