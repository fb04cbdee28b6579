import { ADMIN_DEFAULTS } from '../admin.constants.js';
import type { AdminOperationOptions } from '../admin-options.interface.js';
import type { KafkaJsBackend } from '../backend/kafkajs.backend.js';
import type { KafkaTsBackend } from '../backend/kafka-ts.backend.js';
import type { NativeOffsetsBackend } from '../backend/native-offsets.backend.js';
import type { NativeTopicAdmin } from '../backend/native-topics.backend.js';
import type { AdminLifecycle } from '../backend/admin-lifecycle.js';

/** The backends an operation may use, and the client's default timeouts. @internal */
export interface AdminBackends {
  readonly kafkajs: KafkaJsBackend;
  /** librdkafka consumers: ListOffsets and offset commits. */
  readonly native: NativeOffsetsBackend;
  /** librdkafka's admin handle: CreateTopics, DeleteTopics, CreatePartitions. */
  readonly topics: NativeTopicAdmin;
  readonly kafkaTs: KafkaTsBackend;
  /** Whether the client is closed: every backend checks it. */
  readonly lifecycle: AdminLifecycle;
  readonly requestTimeoutMs: number;
}

/** The call's overall timeout. @internal */
export function requestTimeout(b: AdminBackends, options: AdminOperationOptions = {}): number {
  return options.requestTimeoutMs ?? b.requestTimeoutMs;
}

/** The broker-side operation timeout. @internal */
export function operationTimeout(options: AdminOperationOptions = {}): number {
  return options.operationTimeoutMs ?? ADMIN_DEFAULTS.operationTimeoutMs;
}
