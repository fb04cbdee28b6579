import type { BaseRpcContext, WritePacket } from '@nestjs/microservices';
import { finalize, type Observable, type Subscription } from 'rxjs';
import { nodeRequire } from '../../internal/node-require.cjs';
import { UnsupportedNestVersionError } from '../errors/unsupported-nest-version.error.js';

// Nest 11 and 12 differ in what `Server` offers a transport: 12 added `handleRequest` and
// `runWithProcessingHooks`, 11 has neither (calling `this.handleRequest` there threw for every request, which
// was retried and then skipped: the request was lost). What both have is the processing hooks set by
// `setOnProcessingStartHook`/`setOnProcessingEndHook`, `send` and `transformToObservable`, so the transport runs
// its handlers through the helpers below on both, and `listen()` checks that those members exist.

/** The `Server` members the transport calls; checked at `listen()`. @internal */
export const REQUIRED_SERVER_MEMBERS = [
  'addHandler',
  'getHandlerByPattern',
  'normalizePattern',
  'transformToObservable',
  'send',
  'onProcessingStartHook',
] as const;

/** The processing hooks of a server, bound to its transport id. @internal */
export interface ProcessingHooks {
  /** Nest's start hook: runs `done` (possibly inside a tracing span) and returns what it returns. */
  start(ctx: BaseRpcContext, done: () => Promise<void>): unknown;
  /** Nest's end hook; a no-op when none is set. */
  end(ctx: BaseRpcContext): void;
}

/**
 * Throws when the server lacks one of the members the transport calls (an unsupported Nest version).
 * @throws UnsupportedNestVersionError naming the installed version and the missing members
 * @internal
 */
export function assertNestServerSupported(server: object, readVersion: () => string = installedNestVersion): void {
  const members = server as Record<string, unknown>;
  const missing = REQUIRED_SERVER_MEMBERS.filter((name) => typeof members[name] !== 'function');
  if (missing.length > 0) throw new UnsupportedNestVersionError(readVersion(), missing);
}

/** The installed `@nestjs/microservices` version, for the error message only. @internal */
export function installedNestVersion(): string {
  try {
    const { readFileSync } = nodeRequire('node:fs') as typeof import('node:fs');
    const { dirname, join } = nodeRequire('node:path') as typeof import('node:path');
    // Not `require('@nestjs/microservices/package.json')`: Nest 12's exports map does not expose it.
    const main = nodeRequire.resolve('@nestjs/microservices');
    return (JSON.parse(readFileSync(join(dirname(main), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Runs `fn` between the start and end hooks, as Nest 12's `Server.runWithProcessingHooks` does: `fn` gets a
 * runner that calls the end hook once (a span must close once), and a rejection of `fn` runs it too.
 * @returns what the start hook returns (Nest's hooks return `done()`'s promise)
 * @internal
 */
export function runWithProcessingHooks(
  hooks: ProcessingHooks,
  ctx: BaseRpcContext,
  fn: (runEndHook: () => void) => Promise<void>,
): unknown {
  return hooks.start(ctx, async () => {
    let ended = false;
    const runEndHook = (): void => {
      if (!ended) {
        ended = true;
        hooks.end(ctx);
      }
    };
    try {
      await fn(runEndHook);
    } catch (err) {
      runEndHook();
      throw err;
    }
  });
}

/** What `handleRequest` needs from the server. @internal */
export interface RequestHost {
  hooks: ProcessingHooks;
  send(stream$: Observable<unknown>, respond: (packet: WritePacket) => Promise<unknown> | void): Subscription;
}

/**
 * Nest 12's `Server.handleRequest` on both versions: the stream `produce` returns is replied through
 * `respond` (Nest's `send`), and the end hook runs once it settles or once `produce` rejects.
 * @internal
 */
export function handleRequest(
  host: RequestHost,
  ctx: BaseRpcContext,
  produce: () => Promise<Observable<unknown>>,
  respond: (packet: WritePacket) => Promise<unknown>,
): unknown {
  return runWithProcessingHooks(host.hooks, ctx, async (runEndHook) => {
    const response$ = await produce();
    host.send(response$.pipe(finalize(runEndHook)), respond);
  });
}
