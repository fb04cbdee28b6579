import { randomUUID } from 'node:crypto';
import { bootstrapServers } from '../helpers/kafka-env.js';
import { createTopics } from '../helpers/topics.js';
import { installFixture, JEST_BIN, packProject, runInFixture, TSC_BIN } from './fixture-install.js';

// The package as users get it: `npm pack` of the built project, installed into a Nest 11 CommonJS app and a
// Nest 12 ES module app, each doing one request-reply and one event against the broker.

interface ScenarioResult {
  nest: string;
  reply: unknown;
  event: unknown;
}

/** Fresh topics and group for one run of a fixture, created on the broker, as the fixture's environment. */
async function scenario(): Promise<Record<string, string>> {
  const id = randomUUID();
  const [request, event] = [`fixture-sum-${id}`, `fixture-audit-${id}`];
  await createTopics([request, `${request}.reply`, event]);
  return {
    KAFKA_BOOTSTRAP_SERVERS: bootstrapServers(),
    FIXTURE_REQUEST_TOPIC: request,
    FIXTURE_EVENT_TOPIC: event,
    FIXTURE_GROUP: `fixture-${id}`,
  };
}

function expectScenario(result: ScenarioResult, env: Record<string, string>, major: number): void {
  expect(result.nest.split('.')[0]).toBe(String(major));
  expect(result.reply).toEqual({ sum: 5, context: true, topic: env.FIXTURE_REQUEST_TOPIC });
  expect(result.event).toEqual({ data: { id: 'e-1' }, context: true, topic: env.FIXTURE_EVENT_TOPIC });
}

describe('the packed package in Nest 11 (CommonJS) and Nest 12 (ESM) applications', () => {
  let tarball: string;
  beforeAll(async () => {
    tarball = await packProject();
  });

  describe('Nest 11, CommonJS', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await installFixture('nest11-cjs', tarball);
    });

    it('plain require(): a request is answered and an event handled', async () => {
      const env = await scenario();
      const result = JSON.parse(await runInFixture(dir, ['main.js'], env)) as ScenarioResult;
      expectScenario(result, env, 11);
    });

    it('jest in CommonJS mode loads the package and runs the same scenario', async () => {
      const env = await scenario();
      await runInFixture(dir, [JEST_BIN, '--config', 'jest.config.js', '--rootDir', dir, '--ci'], env);
    });

    it("TypeScript with Nest 11's project tsconfig compiles handlers against the CommonJS declarations", async () => {
      await runInFixture(dir, [TSC_BIN, '-p', 'tsconfig.json'], {});
    });

    it('an ES module importing the package next to Nest 11 (CommonJS) gets the ESM build working', async () => {
      const probe =
        "const m = await import('nest-rdkafka'); const { Server } = await import('@nestjs/microservices');" +
        'process.stdout.write(JSON.stringify({ server: new m.ServerRdKafka({ client: {} }) instanceof Server }));';
      expect(JSON.parse(await runInFixture(dir, ['--input-type=module', '-e', probe], {}))).toEqual({ server: true });
    });
  });

  describe('Nest 12, ESM', () => {
    it('import: a request is answered and an event handled', async () => {
      const dir = await installFixture('nest12-esm', tarball);
      const env = await scenario();
      const result = JSON.parse(await runInFixture(dir, ['main.js'], env)) as ScenarioResult;
      expectScenario(result, env, 12);
    });
  });
});
