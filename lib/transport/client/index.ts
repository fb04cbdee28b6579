export { ClientRdKafka, type ClientRdKafkaClients } from './client-rdkafka.js';
export type { ClientRdKafkaOptions } from './client-rdkafka.options.js';
