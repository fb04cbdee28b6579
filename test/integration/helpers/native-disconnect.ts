/**
 * Disconnects a raw node-rdkafka client, waiting at most `ms` for its callback. A test's cleanup must end: one CI
 * run saw a flowing raw consumer's (`consume()` with no arguments) disconnect not call back within jest's 120 s
 * hook timeout, which failed a spec whose tests had all passed, and a later run caught such a disconnect hung in
 * librdkafka's destroy (joining a broker thread). The client is left to node-rdkafka then; the warning says so.
 */
export function disconnectWithin(client: { disconnect(cb: () => void): unknown }, what: string, ms = 30_000): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      console.warn(`${what}: disconnect did not call back within ${ms} ms; left to node-rdkafka`);
      resolve();
    }, ms);
    client.disconnect(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
