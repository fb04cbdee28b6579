export { MockSchemaRegistryClient } from './mock-schema-registry.client.js';
