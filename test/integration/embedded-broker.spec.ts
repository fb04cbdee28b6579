import fs from 'node:fs';

const pids = (process.env.KAFKA_EMBEDDED_PIDS ?? '').split(',').filter(Boolean).map(Number);

// Only meaningful when `npm test` started the embedded broker (not with KAFKA_BOOTSTRAP_SERVERS).
const whenEmbedded = pids.length ? describe : describe.skip;

whenEmbedded('embedded broker', () => {
  it('is a real Apache Kafka JVM (kafka.Kafka from the Maven Central jars) while the tests run', () => {
    for (const pid of pids) {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline[0]).toMatch(/java$/);
      expect(cmdline).toContain('kafka.Kafka');
      expect(cmdline.join(' ')).toMatch(/\.cache\/kafka\/libs\/\*/);
    }
  });
});
