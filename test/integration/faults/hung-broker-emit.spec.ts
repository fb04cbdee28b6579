import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom } from 'rxjs';
import { ClientRdKafka, ErrorCode, KafkaException, RdKafkaProducerService } from '../../../lib/index.js';
import { embeddedBrokerPids, hangBroker } from '../helpers/broker-process.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopics } from '../helpers/transport-topics.js';

const TOPIC = `hung-emit-${randomUUID().slice(0, 8)}`;
/** The delivery bound under test; the broker hangs for longer. */
const MESSAGE_TIMEOUT_MS = 2000;
const HANG_MS = 6000;

describe('an event to a hung broker fails at message.timeout.ms and says why', () => {
  beforeAll(async () => {
    await createTopics([TOPIC]);
  });

  it('ClientRdKafka.emit()/emitBatch() and RdKafkaProducerService.emit() reject with _MSG_TIMED_OUT naming the topic', async () => {
    const producer = { 'message.timeout.ms': MESSAGE_TIMEOUT_MS };
    const client = new ClientRdKafka({
      client: { 'bootstrap.servers': bootstrapServers() },
      producer,
      producerOnlyMode: true,
      logger: new CaptureLogger(),
    });
    const events = new RdKafkaProducerService({
      client: { 'bootstrap.servers': bootstrapServers() },
      producer,
      logger: new CaptureLogger(),
    });
    try {
      await client.connect();
      await events.onModuleInit();
      const [pid] = embeddedBrokerPids();
      const hang = hangBroker(pid, HANG_MS);
      await sleep(200);
      const t0 = Date.now();
      const results = await Promise.all([
        lastValueFrom(client.emit(TOPIC, { n: 1 })).then(
          () => null,
          (e: unknown) => e,
        ),
        lastValueFrom(client.emitBatch(TOPIC, { messages: [{ n: 3 }] })).then(
          () => null,
          (e: unknown) => e,
        ),
        events.emit(TOPIC, { n: 2 }).then(
          () => null,
          (e: unknown) => e,
        ),
      ]);
      const ms = Date.now() - t0;
      await hang;
      console.log(
        `emit() to a hung broker, message.timeout.ms ${MESSAGE_TIMEOUT_MS}: failed after ${ms} ms: ${results.map(String).join(' | ')}`,
      );
      for (const err of results) {
        expect(err).toBeInstanceOf(KafkaException);
        expect((err as KafkaException).code).toBe(ErrorCode._MSG_TIMED_OUT);
        expect((err as KafkaException).error.str()).toMatch(
          new RegExp(`^event to ${TOPIC} not delivered within \\d+ ms \\(message\\.timeout\\.ms\\): .+`),
        );
      }
      expect(ms).toBeLessThan(HANG_MS);
    } finally {
      await client.close();
      await events.close(1000);
    }
  });
});
