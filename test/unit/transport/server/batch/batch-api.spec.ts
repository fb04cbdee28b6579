import 'reflect-metadata';
import { Message } from '../../../../../lib/client/message.js';
import { RdKafkaBatchContext, RdKafkaBatchFailures } from '../../../../../lib/transport/context/rdkafka-batch.context.js';
import { RdKafkaContext, type RdKafkaContextControls } from '../../../../../lib/transport/context/rdkafka.context.js';
import { KAFKA_BATCH_DEFAULTS, resolveBatchOptions } from '../../../../../lib/transport/server/batch/batch.options.js';
import { KafkaBatchPattern } from '../../../../../lib/transport/server/batch/kafka-batch-pattern.decorator.js';
import type { RdKafkaParsedMessage } from '../../../../../lib/transport/serdes/rdkafka.parser.js';

// Nest's metadata keys (@nestjs/microservices constants), read as Nest's listener discovery reads them.
const PATTERN = 'microservices:pattern';
const EXTRAS = 'microservices:pattern_extras';
const TRANSPORT = 'microservices:transport';

const controls: RdKafkaContextControls = {
  commit: async () => undefined,
  seek: async () => undefined,
  pause: () => undefined,
  resume: () => undefined,
};

function context(offset: number): RdKafkaContext {
  const raw = new Message({ topic: 'orders', partition: 2, offset, value: Buffer.from(String(offset)) });
  const parsed = { value: offset, offset: String(offset) } as unknown as RdKafkaParsedMessage;
  return new RdKafkaContext([parsed, raw, null as never, null as never, controls]);
}

describe('KafkaBatchPattern', () => {
  it("sets Nest's event-pattern metadata with the batch options as extras", () => {
    const transport = Symbol('east');
    class C {
      @KafkaBatchPattern('orders', { maxRecords: 5 })
      a(): void {}
      @KafkaBatchPattern(/^orders\./, {}, transport)
      b(): void {}
    }
    const a = C.prototype.a;
    expect(Reflect.getMetadata(PATTERN, a)).toEqual(['orders']);
    expect(Reflect.getMetadata(EXTRAS, a)).toEqual({ batch: { maxRecords: 5 } });
    expect(Reflect.getMetadata(EXTRAS, C.prototype.b)).toEqual({ batch: {} });
    expect(Reflect.getMetadata(TRANSPORT, C.prototype.b)).toBe(transport);
  });
});

describe('resolveBatchOptions', () => {
  it('fills the defaults, takes true for all of them and null for no batching', () => {
    expect(resolveBatchOptions(true)).toEqual(KAFKA_BATCH_DEFAULTS);
    expect(resolveBatchOptions({ maxWaitMs: 0 })).toEqual({ ...KAFKA_BATCH_DEFAULTS, maxWaitMs: 0 });
    expect(resolveBatchOptions(undefined)).toBeNull();
    expect(resolveBatchOptions(false)).toBeNull();
  });

  it('refuses bounds that are not positive integers, naming them', () => {
    expect(() => resolveBatchOptions({ maxBytes: 1.5 })).toThrow(new RangeError('batch.maxBytes must be an integer >= 1, got 1.5'));
    expect(() => resolveBatchOptions({ maxWaitMs: -1 })).toThrow(new RangeError('batch.maxWaitMs must be an integer >= 0, got -1'));
  });
});

describe('RdKafkaBatchContext', () => {
  const contexts = [context(7), context(8), context(9)];

  it('describes the batch: topic, partition, offsets, messages', () => {
    const ctx = new RdKafkaBatchContext([contexts, new RdKafkaBatchFailures()]);
    expect([ctx.getTopic(), ctx.getPartition(), ctx.getFirstOffset(), ctx.getLastOffset(), ctx.size]).toEqual(['orders', 2, 7, 9, 3]);
    expect(ctx.getMessages().map((m) => m.value)).toEqual([7, 8, 9]);
    expect(ctx.getRawMessages().map((m) => m.offset)).toEqual([7, 8, 9]);
    expect(ctx.getContexts()).toBe(contexts);
  });

  it('marks failures by index, context or raw message, in index order; the last error of a record wins', () => {
    const failures = new RdKafkaBatchFailures();
    const ctx = new RdKafkaBatchContext([contexts, failures]);
    const e1 = new Error('one');
    const e2 = new Error('two');
    ctx.fail(contexts[2]!.getRawMessage(), e1);
    ctx.fail(contexts[0]!);
    ctx.fail(2, e2);
    expect(ctx.getFailed()).toEqual([0, 2]);
    expect(failures.entries()).toEqual([
      [0, new Error('Marked failed by the batch handler')],
      [2, e2],
    ]);
  });

  it('refuses to mark a record that is not in the batch', () => {
    const ctx = new RdKafkaBatchContext([contexts, new RdKafkaBatchFailures()]);
    expect(() => ctx.fail(3)).toThrow(new RangeError('No record 3 in a batch of 3'));
    expect(() => ctx.fail(context(10))).toThrow(RangeError);
    expect(() => new RdKafkaBatchContext([[], new RdKafkaBatchFailures()])).toThrow(RangeError);
  });
});
