import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

describe('node-rdkafka native build', () => {
  it('is compiled with compression, TLS and SASL/SCRAM support', () => {
    const { features, librdkafkaVersion } = require('node-rdkafka') as { features: string[]; librdkafkaVersion: string };
    expect(features).toEqual(expect.arrayContaining(['gzip', 'snappy', 'lz4', 'zstd', 'ssl', 'sasl_scram']));
    expect(librdkafkaVersion).toMatch(/^2\.12\./);
  });
});
