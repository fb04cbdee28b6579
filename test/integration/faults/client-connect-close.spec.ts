import { setTimeout as sleep } from 'node:timers/promises';
import { ClientRdKafka, ClientState, ErrorCode, KafkaException, RdKafkaProducerService, RdKafkaStatus } from '../../../lib/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { bootstrapServers } from '../helpers/kafka-env.js';

describe('clients closed while they connect', () => {
  it('ends disconnected with no client left, at any moment of the attempt, and the process lives on', async () => {
    const outcomes: string[] = [];
    for (const delayMs of [0, 5, 20, 50, 100]) {
      const client = new ClientRdKafka({ client: { 'bootstrap.servers': bootstrapServers() }, logger: new CaptureLogger() });
      client.subscribeToResponseOf('close-race');
      const statuses: string[] = [];
      client.status.subscribe((s) => statuses.push(s));
      const attempt = client.connect().then(
        () => 'connected',
        (e: unknown) => String(e),
      );
      await sleep(delayMs);
      const t0 = Date.now();
      await client.close();
      const closeMs = Date.now() - t0;
      const outcome = await attempt;
      // Before: librdkafka finished connecting a producer close() had already closed; its idle poll then threw
      // "Producer not connected" from a timer, an uncaught exception.
      await sleep(500);
      outcomes.push(`close after ${delayMs} ms: ${outcome}, close took ${closeMs} ms, status ${statuses.join(' > ')}`);
      expect(['connected', 'Error: Connection closed']).toContain(outcome);
      expect(statuses.at(-1)).toBe(RdKafkaStatus.DISCONNECTED);
      expect(() => client.unwrap()).toThrow('Not initialized');
    }
    console.log(outcomes.join('\n'));
  });

  it('RdKafkaProducerService (and its Producer) stays closed: connect rejects with _STATE or had finished, no crash', async () => {
    const outcomes: string[] = [];
    for (const delayMs of [0, 5, 20, 50]) {
      const events = new RdKafkaProducerService({ client: { 'bootstrap.servers': bootstrapServers() }, logger: new CaptureLogger() });
      const attempt = events.onModuleInit().then(
        () => 'connected',
        (e: unknown) => e,
      );
      await sleep(delayMs);
      await events.close(1000);
      const outcome = await attempt;
      // Before: the connect callback marked the closed Producer connected, and its idle poll threw
      // "Producer not connected" from a timer 100 ms later, an uncaught exception.
      await sleep(500);
      outcomes.push(`close after ${delayMs} ms: ${String(outcome)}, state ${events.state}`);
      if (outcome !== 'connected') {
        expect(outcome).toBeInstanceOf(KafkaException);
        expect((outcome as KafkaException).code).toBe(ErrorCode._STATE);
        expect((outcome as KafkaException).error.str()).toBe('connect: the client was closed while connecting');
      }
      expect(events.state).toBe(ClientState.CLOSED);
    }
    console.log(outcomes.join('\n'));
  });
});
