import type { AdminLogger } from '../admin-options.interface.js';
import type { KafkaTsModule } from './kafka-ts.types.js';

/**
 * kafka-ts has one process-wide logger, which by default prints JSON lines to stdout. The first load replaces
 * it with this router: each message goes to the loggers of the admin clients that have kafka-ts open (their
 * `logger` option, the Nest Logger for RdKafkaAdminService), and nowhere when none has a logger.
 */
const loggers = new Set<AdminLogger>();
const seedWatchers = new Set<(address: string, reason: string) => void>();
let installed = false;

/** kafka-ts's only report of why a seed broker failed: its cluster then throws "No seed brokers found". */
const SEED_FAILURE = /^Failed to connect to seed broker (\S+)$/;

function noticeSeedFailure(message: string, metadata: unknown): void {
  const address = SEED_FAILURE.exec(message)?.[1];
  const reason = (metadata as { reason?: unknown } | undefined)?.reason;
  if (address && typeof reason === 'string') seedWatchers.forEach((w) => w(address, reason));
}

/**
 * Collects the reasons kafka-ts gives for failed seed brokers while `run` connects, so "No seed brokers
 * found" can be reported with its cause (refused connection, SASL failure, TLS failure).
 * @internal
 */
export async function withSeedFailures<T>(run: () => Promise<T>, onFailure: (address: string, reason: string) => void): Promise<T> {
  seedWatchers.add(onFailure);
  try {
    return await run();
  } finally {
    seedWatchers.delete(onFailure);
  }
}

function format(message: string, metadata: unknown): string {
  return metadata === undefined ? `[kafka-ts] ${message}` : `[kafka-ts] ${message} ${safeJson(metadata)}`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? v.message : typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return String(value);
  }
}

/**
 * Installs the router on kafka-ts (once per process) and registers `logger` until the returned function runs.
 * kafka-ts's info lines are connection chatter for an admin client: they go to `debug`.
 * @internal
 */
export function routeKafkaTsLogs(kts: KafkaTsModule, logger: AdminLogger | undefined): () => void {
  if (!installed) {
    kts.setLogger({
      debug: (m, meta) => loggers.forEach((l) => l.debug?.(format(m, meta))),
      info: (m, meta) => loggers.forEach((l) => l.debug?.(format(m, meta))),
      warn: (m, meta) => {
        noticeSeedFailure(m, meta);
        loggers.forEach((l) => l.warn(format(m, meta)));
      },
      error: (m, meta) => loggers.forEach((l) => l.error(format(m, meta))),
    });
    installed = true;
  }
  if (!logger) return () => undefined;
  loggers.add(logger);
  return () => loggers.delete(logger);
}
