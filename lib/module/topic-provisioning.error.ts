import { KafkaException } from '../errors/index.js';

/**
 * A declared topic could not be described or created at bootstrap; the application does not start.
 * @publicApi
 */
export class TopicProvisioningError extends Error {
  /** librdkafka's code when the cause is a `KafkaException`, else null. */
  readonly code: number | null;

  /**
   * @param topic the declared topic
   * @param operation what failed
   * @param cause the admin client's error (a `KafkaException` with the broker's code)
   */
  constructor(
    readonly topic: string,
    readonly operation: 'create' | 'describe',
    cause: unknown,
  ) {
    super(`Could not ${operation} topic ${topic}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'TopicProvisioningError';
    this.code = cause instanceof KafkaException ? cause.code : null;
  }
}
