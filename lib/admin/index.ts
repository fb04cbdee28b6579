export { AdminClient } from './admin-client.js';
export { RdKafkaAdminService } from './rdkafka-admin.service.js';
export { RDKAFKA_ADMIN_CONFIG } from './admin.constants.js';
export { JsonMap } from './json-friendly.js';
export {
  AclOperation,
  AclPermissionType,
  AlterConfigOpType,
  ConfigSource,
  ConsumerGroupState,
  ConsumerGroupType,
  ElectionType,
  IsolationLevel,
  ResourcePatternType,
  ResourceType,
  ScramMechanism,
} from './admin.enums.js';
export type {
  AdminClientConfig,
  AdminClientOptions,
  AdminLogger,
  AdminOperationOptions,
  CopyConsumerGroupOffsetsOptions,
  DescribeConfigsOptions,
  ListConsumerGroupsOptions,
  ListOffsetsOptions,
  ValidateOnlyOptions,
} from './admin-options.interface.js';
export { type AdminResults, settleResults } from './admin-results.util.js';
export * from './types/index.js';
export type { ReplayDeadLettersOptions, ReplayReport } from './ops/dead-letter-replay.ops.js';
