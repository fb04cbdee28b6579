import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

describe('node-rdkafka native build', () => {
  it('is compiled with compression, TLS and SASL/SCRAM support', () => {
    const { features, librdkafkaVersion } = require('node-rdkafka') as { features: string[]; librdkafkaVersion: string };
    expect(features).toEqual(expect.arrayContaining(['gzip', 'snappy', 'lz4', 'zstd', 'ssl', 'sasl_scram']));
    expect(librdkafkaVersion).toMatch(/^2\.12\./);
  });
});

describe('version information', () => {
  it('reports librdkafka and package versions as confluent_kafka does', async () => {
    const { libversion, version } = await import('../../lib/index.js');
    const [lib, libInt] = libversion();
    expect(lib).toMatch(/^2\.12\./);
    expect(libInt >>> 24).toBe(2);
    expect((libInt >>> 16) & 0xff).toBe(12);
    const [v] = version();
    expect(v).toMatch(/^\d+\.\d+\.\d+/);
  });
});
