import type { AdminLogger } from '../admin-options.interface.js';
import type { KafkaTsModule } from './kafka-ts.types.js';

/**
 * kafka-ts has one process-wide logger, which by default prints JSON lines to stdout. The first load replaces
 * it with this router: each message goes to the loggers of the admin clients that have kafka-ts open (their
 * `logger` option, the Nest Logger for RdKafkaAdminService), and nowhere when none has a logger.
 */
const loggers = new Set<AdminLogger>();
let installed = false;

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
      warn: (m, meta) => loggers.forEach((l) => l.warn(format(m, meta))),
      error: (m, meta) => loggers.forEach((l) => l.error(format(m, meta))),
    });
    installed = true;
  }
  if (!logger) return () => undefined;
  loggers.add(logger);
  return () => loggers.delete(logger);
}
