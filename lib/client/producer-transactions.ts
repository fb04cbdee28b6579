import { ErrorCode, toKafkaException } from '../errors/index.js';
import { refuseCommitMetadata } from './commit-offsets.js';
import type { ConsumerGroupMetadata } from './consumer-group-metadata.js';
import type { NativeError, NativeProducer } from './native/index.js';
import type { TopicPartitionLike } from './topic-partition.js';

type Done = (err: NativeError | null | undefined) => void;

/**
 * The transactional API as Promises. Errors keep librdkafka's flags (`fatal`, `retriable`,
 * `txnRequiresAbort`), which decide whether to retry, abort, or recreate the producer.
 * @internal
 */
export class ProducerTransactions {
  constructor(
    private readonly native: NativeProducer,
    private readonly assertUsable: (operation: string) => void,
  ) {}

  private call(operation: string, run: (done: Done) => void): Promise<void> {
    this.assertUsable(operation);
    return new Promise((resolve, reject) => {
      run((err) => (err ? reject(toKafkaException(err, ErrorCode._FAIL)) : resolve()));
    });
  }

  init(timeoutMs: number): Promise<void> {
    return this.call('initTransactions', (done) => this.native.initTransactions(timeoutMs, done));
  }

  begin(): Promise<void> {
    return this.call('beginTransaction', (done) => {
      // node-rdkafka's beginTransaction reports synchronously through the callback or by throwing.
      try {
        this.native.beginTransaction(done);
      } catch (e) {
        done(e as NativeError);
      }
    });
  }

  sendOffsets(positions: TopicPartitionLike[], metadata: ConsumerGroupMetadata, timeoutMs: number): Promise<void> {
    try {
      refuseCommitMetadata('sendOffsetsToTransaction', positions);
    } catch (e) {
      return Promise.reject(e);
    }
    const offsets = positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset ?? -1001 }));
    return this.call('sendOffsetsToTransaction', (done) =>
      this.native.sendOffsetsToTransaction(offsets, metadata.nativeConsumer, timeoutMs, done),
    );
  }

  commit(timeoutMs: number): Promise<void> {
    return this.call('commitTransaction', (done) => this.native.commitTransaction(timeoutMs, done));
  }

  abort(timeoutMs: number): Promise<void> {
    return this.call('abortTransaction', (done) => this.native.abortTransaction(timeoutMs, done));
  }
}
