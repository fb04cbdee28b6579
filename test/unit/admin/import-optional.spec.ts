import { KafkaException, MissingDependencyError } from '../../../lib/errors/index.js';
import { adminRejection } from '../../../lib/admin/admin-error.mapper.js';
import { adminPromise } from '../../../lib/admin/admin-results.util.js';
import { importOptional } from '../../../lib/admin/backend/import-optional.js';
import { KafkaJsBackend } from '../../../lib/admin/backend/kafkajs.backend.js';
import { KafkaTsBackend } from '../../../lib/admin/backend/kafka-ts.backend.js';

/** An import that fails as Node's does for a package that is not installed. */
function missing(name: string) {
  return (): Promise<never> =>
    Promise.reject(
      Object.assign(new Error(`Cannot find package '${name}' imported from /app/dist/x.js`), { code: 'ERR_MODULE_NOT_FOUND' }),
    );
}

const config = { 'bootstrap.servers': '127.0.0.1:9' };

describe('the admin backends without their optional packages', () => {
  it('importOptional names the package and the feature', async () => {
    await expect(importOptional('kafka-ts', 'AdminClient.electLeaders', missing('kafka-ts'))).rejects.toMatchObject({
      name: 'MissingDependencyError',
      packageName: 'kafka-ts',
      feature: 'AdminClient.electLeaders',
      message: 'AdminClient.electLeaders needs the optional package "kafka-ts": npm install kafka-ts',
    });
  });

  it('importOptional passes on other failures, such as a module the package itself cannot find', async () => {
    const failure = importOptional('kafka-ts', 'AdminClient.electLeaders', missing('./dist/api.js'));
    await expect(failure).rejects.toThrow(/\.\/dist\/api\.js/);
    await expect(failure).rejects.not.toBeInstanceOf(MissingDependencyError);
  });

  it('the kafkajs backend rejects the operation with MissingDependencyError, and can retry once installed', async () => {
    let installed = false;
    const backend = new KafkaJsBackend(config, undefined, undefined, (name) =>
      installed
        ? Promise.resolve({
            default: {
              Kafka: class {
                admin() {
                  throw new Error('unused');
                }
              },
            },
          })
        : missing(name)(),
    );
    await expect(backend.ready('createTopics')).rejects.toMatchObject({
      name: 'MissingDependencyError',
      packageName: 'kafkajs',
      feature: 'AdminClient.createTopics',
    });
    installed = true;
    await expect(backend.ready('createTopics')).rejects.not.toBeInstanceOf(MissingDependencyError);
  });

  it('the kafka-ts backend rejects the operation with MissingDependencyError', async () => {
    const backend = new KafkaTsBackend(config, undefined, undefined, missing('kafka-ts'));
    await expect(backend.send('electLeaders', 'ELECT_LEADERS', {})).rejects.toMatchObject({
      name: 'MissingDependencyError',
      packageName: 'kafka-ts',
      feature: 'AdminClient.electLeaders',
    });
  });

  it('admin results keep MissingDependencyError rather than wrapping it in a KafkaException', async () => {
    const error = new MissingDependencyError('kafka-ts', 'AdminClient.electLeaders');
    await expect(adminPromise(Promise.reject(error))).rejects.toBe(error);
  });

  it("the AdminClient's one rejection rule (outage mapping included) keeps MissingDependencyError too", () => {
    const error = new MissingDependencyError('kafka-ts', 'AdminClient.listConsumerGroups');
    expect(adminRejection(error)).toBe(error);
    expect(adminRejection(new Error('socket hang up'))).toBeInstanceOf(KafkaException);
  });
});
