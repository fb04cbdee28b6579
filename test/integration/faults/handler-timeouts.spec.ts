import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { type ClientRdKafka, ServerRdKafka } from '../../../lib/index.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { connectedClient, listeningMicroservice } from '../helpers/nest-apps.js';
import { createTopics, waitFor } from '../helpers/transport-topics.js';

const RUN = randomUUID().slice(0, 8);
const T = { hang: `ht-hang-${RUN}`, ok: `ht-ok-${RUN}`, hangRequest: `ht-hang-req-${RUN}`, closeHang: `ht-close-${RUN}` };
const handled: { topic: string; at: number }[] = [];
let hangingStarted = 0;

@Controller()
class HangingController {
  @EventPattern(T.hang)
  hang(@Payload() _data: unknown): Promise<never> {
    hangingStarted++;
    return new Promise(() => undefined);
  }

  @EventPattern(T.ok)
  ok(@Payload() _data: unknown): void {
    handled.push({ topic: T.ok, at: Date.now() });
  }

  @MessagePattern(T.hangRequest)
  hangRequest(@Payload() _data: unknown): Promise<never> {
    return new Promise(() => undefined);
  }
}

@Controller()
class CloseController {
  @EventPattern(T.closeHang)
  hang(@Payload() _data: unknown): Promise<never> {
    hangingStarted++;
    return new Promise(() => undefined);
  }
}

@Module({ controllers: [HangingController] })
class HangingModule {}
@Module({ controllers: [CloseController] })
class CloseModule {}

const HANDLER_TIMEOUT_MS = 1500;
const WARN_MS = 500;

describe('handler time limits and the close() bound (real broker)', () => {
  const logger = new CaptureLogger();
  let app: INestMicroservice;
  let client: ClientRdKafka;

  beforeAll(async () => {
    await createTopics(Object.values(T));
    app = await listeningMicroservice(
      HangingModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': `ht-${RUN}` },
        logger,
        errorPolicy: { mode: 'skip' },
        handlerTimeoutMs: HANDLER_TIMEOUT_MS,
        slowHandlerWarnMs: WARN_MS,
        // One handler at a time (the default runs partitions independently): the hung handler blocks the other
        // topic until handlerTimeoutMs frees it, which is what the first test measures.
        concurrency: 1,
      }),
      false,
    );
    client = await connectedClient();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
  });

  it('warns about a handler that never resolves, expires it, and serves the other topics again (concurrency 1)', async () => {
    // Warm up: the group has joined before anything is timed.
    await lastValueFrom(client.emit(T.ok, { n: 0 }));
    await waitFor(() => handled.length === 1, 30_000, 'the warm-up event');
    const t0 = Date.now();
    await lastValueFrom(client.emit(T.hang, { n: 1 }));
    await waitFor(() => hangingStarted === 1, 10_000, 'the hanging handler to start');
    await lastValueFrom(client.emit(T.ok, { n: 2 }));
    await waitFor(() => handled.length === 2, 10_000, 'the event behind the hung handler');
    const blockedMs = handled[1]!.at - t0;

    const warn = logger.of('warn').find((l) => l.message.includes(`on ${T.hang}[0]@`));
    expect(warn?.message).toMatch(
      new RegExp(`Handler for "${T.hang}" on ${T.hang}\\[0\\]@0 has been running for \\d+ ms \\(slowHandlerWarnMs ${WARN_MS}\\)`),
    );
    const failure = logger.of('error').find((l) => l.message.includes('HandlerTimeoutError'));
    expect(failure?.message).toMatch(new RegExp(`Handler failed on ${T.hang}\\[0\\]@0 \\(attempt 1, giving up\\): HandlerTimeoutError`));
    expect(blockedMs).toBeGreaterThanOrEqual(HANDLER_TIMEOUT_MS);
    expect(blockedMs).toBeLessThan(HANDLER_TIMEOUT_MS + 2000);
    console.log(
      `hung event handler: next topic served after ${blockedMs} ms (handlerTimeoutMs ${HANDLER_TIMEOUT_MS}, warned at ${WARN_MS})`,
    );
  });

  it('answers the caller of a hung request handler with an error reply once the policy gives up', async () => {
    const t0 = Date.now();
    const err = await firstValueFrom(client.send(T.hangRequest, {})).catch((e: unknown) => e);
    const ms = Date.now() - t0;
    expect(err).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/Request not handled \(skipped by the error policy\): HandlerTimeoutError/),
    });
    expect(ms).toBeLessThan(HANDLER_TIMEOUT_MS + 3000);
    console.log(`hung request handler: caller got an error reply after ${ms} ms (its requestTimeoutMs is 15000)`);
  });

  it('closes within closeTimeoutMs while a handler hangs: stop() and the revocation share one deadline', async () => {
    const closeTimeoutMs = 1500;
    const closing = await listeningMicroservice(
      CloseModule,
      new ServerRdKafka({
        client: { 'bootstrap.servers': bootstrapServers() },
        consumer: { 'group.id': `ht-close-${RUN}` },
        logger: new CaptureLogger(),
        handlerTimeoutMs: 0,
        closeTimeoutMs,
      }),
      false,
    );
    const before = hangingStarted;
    await lastValueFrom(client.emit(T.closeHang, { n: 1 }));
    await waitFor(() => hangingStarted === before + 1, 30_000, 'the hanging handler to start');
    const t0 = Date.now();
    await closing.close();
    const ms = Date.now() - t0;
    console.log(`close() with a hung handler: ${ms} ms (closeTimeoutMs ${closeTimeoutMs})`);
    expect(ms).toBeGreaterThanOrEqual(closeTimeoutMs);
    // The bound plus leaving the group and disconnecting; the drain used to run twice (2 x closeTimeoutMs).
    expect(ms).toBeLessThan(2 * closeTimeoutMs);
  });
});
