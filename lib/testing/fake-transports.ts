import type { ConsumerConfig, ProducerConfig } from '../client/config/index.js';
import { Consumer } from '../client/consumer.js';
import { Producer, type ProducerOptions } from '../client/producer.js';
import { ClientRdKafka } from '../transport/client/client-rdkafka.js';
import type { ClientRdKafkaOptions } from '../transport/client/client-rdkafka.options.js';
import { ServerRdKafka } from '../transport/server/server-rdkafka.js';
import type { ServerRdKafkaOptions } from '../transport/server/server-rdkafka.options.js';
import type { FakeKafka } from './fake-kafka.js';

/**
 * A real `ServerRdKafka` whose consumer and producer (our real client layer) run on a `FakeKafka`: handlers,
 * routing, the consume loop, commits and replies all run as in production, in milliseconds.
 * @example const server = new TestServerRdKafka(kafka, { client: {} }); server.addHandler('orders', handler, true);
 * @publicApi
 */
export class TestServerRdKafka extends ServerRdKafka {
  /** The producer's own options the server would pass (`tracing`). */
  private readonly producerOptions: ProducerOptions;

  constructor(
    readonly kafka: FakeKafka,
    options: ServerRdKafkaOptions,
  ) {
    super(options);
    this.producerOptions = { tracing: options.tracing };
  }

  protected override createConsumer(config: ConsumerConfig): Consumer {
    return new Consumer(config, this.kafka.binding);
  }

  protected override createProducer(config: ProducerConfig): Producer {
    return new Producer(config, this.producerOptions, this.kafka.binding);
  }
}

/**
 * A real `ClientRdKafka` whose producer and reply consumer run on a `FakeKafka`.
 * @publicApi
 */
export class TestClientRdKafka extends ClientRdKafka {
  /** The producer's own options the client would pass (`tracing`). */
  private readonly producerOptions: ProducerOptions;

  constructor(
    readonly kafka: FakeKafka,
    options: ClientRdKafkaOptions,
  ) {
    super(options);
    this.producerOptions = { tracing: options.tracing };
  }

  protected override createConsumer(config: ConsumerConfig): Consumer {
    return new Consumer(config, this.kafka.binding);
  }

  protected override createProducer(config: ProducerConfig): Producer {
    return new Producer(config, this.producerOptions, this.kafka.binding);
  }
}
