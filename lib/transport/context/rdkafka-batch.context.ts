import { BaseRpcContext } from '@nestjs/microservices';
import type { Consumer } from '../../client/consumer.js';
import type { Message } from '../../client/message.js';
import type { Producer } from '../../client/producer.js';
import type { RdKafkaParsedMessage } from '../serdes/rdkafka.parser.js';
import type { RdKafkaContext } from './rdkafka.context.js';

/**
 * The records a batch handler marked failed: index in the batch → the error (what the error policy logs).
 * Built by the server per handler call; a handler's unit test may build one too.
 */
export class RdKafkaBatchFailures {
  private readonly marks = new Map<number, unknown>();

  /** Marks the record at `index` failed; a later mark of the same record replaces the error. */
  mark(index: number, error: unknown): void {
    this.marks.set(index, error);
  }

  /** The marked records' indexes, ascending, with their errors. */
  entries(): [index: number, error: unknown][] {
    return [...this.marks].sort((a, b) => a[0] - b[0]);
  }

  get size(): number {
    return this.marks.size;
  }
}

/** What a batch context is built from: a context per record (offset order), and where failures are marked. */
export type RdKafkaBatchContextArgs = [records: readonly RdKafkaContext[], failures: RdKafkaBatchFailures];

/**
 * The context of a batch handler (`@KafkaBatchPattern`, or `@EventPattern(topic, { batch })`), injected with
 * `@Ctx()`: the records of one partition in offset order, each with its own `RdKafkaContext`, and `fail()` to
 * mark some of them failed while the rest succeeded. Offsets are committed once the handler resolves; the marked
 * records then go through the server's error policy (retried as a smaller batch, then skipped or stopped at).
 * @publicApi
 */
export class RdKafkaBatchContext extends BaseRpcContext<RdKafkaBatchContextArgs> {
  /** @param args built by the server */
  constructor(args: RdKafkaBatchContextArgs) {
    if (args[0].length === 0) throw new RangeError('A batch context needs at least one record');
    super(args);
  }

  /** A context per record, in the order of the payloads. */
  getContexts(): readonly RdKafkaContext[] {
    return this.args[0];
  }
  /** The records decoded like Nest's KafkaParser, in the order of the payloads. */
  getMessages(): RdKafkaParsedMessage[] {
    return this.args[0].map((c) => c.getMessage());
  }
  /** The records as consumed. */
  getRawMessages(): Message[] {
    return this.args[0].map((c) => c.getRawMessage());
  }
  /** Records in the batch. */
  get size(): number {
    return this.args[0].length;
  }
  getTopic(): string {
    return this.args[0][0]!.getTopic();
  }
  /** A batch never spans partitions. */
  getPartition(): number {
    return this.args[0][0]!.getPartition();
  }
  getFirstOffset(): number {
    return this.args[0][0]!.getOffset();
  }
  getLastOffset(): number {
    return this.args[0][this.args[0].length - 1]!.getOffset();
  }
  /** The server's consumer (see `RdKafkaContext.getConsumer`). */
  getConsumer(): Consumer {
    return this.args[0][0]!.getConsumer();
  }
  /** The server's producer. */
  getProducer(): Producer {
    return this.args[0][0]!.getProducer();
  }

  /**
   * Marks one record failed: the others count as handled once the handler resolves, this one goes through the
   * error policy. Throwing from the handler instead fails the whole batch.
   * @param record its index in the batch (the payload's index), its context, or its raw message
   * @param error why, for the log and the error policy
   * @throws RangeError when the record is not in this batch
   */
  fail(record: number | RdKafkaContext | Message, error: unknown = new Error('Marked failed by the batch handler')): void {
    const records = this.args[0];
    const index = typeof record === 'number' ? record : records.findIndex((c) => c === record || c.getRawMessage() === record);
    if (!Number.isInteger(index) || index < 0 || index >= records.length)
      throw new RangeError(`No record ${typeof record === 'number' ? record : 'like this'} in a batch of ${records.length}`);
    this.args[1].mark(index, error);
  }

  /** The indexes of the records marked failed so far, ascending. */
  getFailed(): number[] {
    return this.args[1].entries().map(([i]) => i);
  }
}
