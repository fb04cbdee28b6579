/**
 * The server could not send a reply: the reply address in the request is unusable (illegal topic name, a topic
 * the cluster does not have, a bad partition), or producing the reply failed (serializer, size, header value,
 * broker) or did not finish within `replyTimeoutMs`. Logged with the correlation id; where the reply topic can
 * take one, the caller gets an error reply (`kafka_nest-err`) carrying this message.
 * @publicApi
 */
export class ReplyNotSentError extends Error {
  /**
   * @param correlationId the request's `kafka_correlationId`
   * @param replyTopic the requested reply topic, quoted and escaped (it may hold any bytes)
   * @param replyPartition the requested reply partition, quoted and escaped, or undefined
   * @param reason why the reply cannot go
   * @param options `cause`: the underlying error (a KafkaException, a serializer's error…)
   */
  constructor(
    readonly correlationId: string,
    readonly replyTopic: string,
    readonly replyPartition: string | undefined,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Reply for correlation id ${correlationId} to ${replyTopic}${replyPartition === undefined ? '' : `[${replyPartition}]`} not sent: ${reason}`,
      options,
    );
    this.name = 'ReplyNotSentError';
  }
}
