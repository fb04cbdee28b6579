import { connect } from 'node:net';
import { ErrorCode, KafkaException } from '../../errors/index.js';

/** How long the probe waits for one TCP connect: an outage answers in microseconds (RST) or not at all. */
const PROBE_TIMEOUT_MS = 1500;

function bootstrapOf(config: Readonly<Record<string, unknown>>): { host: string; port: number }[] {
  const servers = String(config['bootstrap.servers'] ?? config['metadata.broker.list'] ?? '');
  return servers
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((b) => {
      const i = b.lastIndexOf(':');
      return { host: b.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(b.slice(i + 1)) };
    });
}

function reachable(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (why: string | null): void => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(`${host}:${port} did not answer`));
    socket.once('connect', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => done(`${host}:${port} ${e.code ?? e.message}`));
  });
}

/**
 * librdkafka retries a dead bootstrap list until the request's timeout and then reports `_TIMED_OUT`, where
 * the JavaScript backends report the refused connection (`_TRANSPORT`). A TCP probe of the bootstrap servers
 * tells the two apart, so an outage gets one code whatever backend served the call.
 * @returns `e` itself, or `_TRANSPORT` naming the unreachable brokers when it is a timeout and none answers
 * @internal
 */
export async function outageOrTimeout(
  e: KafkaException,
  config: Readonly<Record<string, unknown>>,
  operation: string,
): Promise<KafkaException> {
  if (e.code !== ErrorCode._TIMED_OUT) return e;
  const brokers = bootstrapOf(config);
  if (brokers.length === 0) return e;
  const answers = await Promise.all(brokers.map((b) => reachable(b.host, b.port)));
  if (answers.some((a) => a === null)) return e;
  return new KafkaException(ErrorCode._TRANSPORT, `${operation}: no broker reachable (${answers.join(', ')})`, undefined, { cause: e });
}
