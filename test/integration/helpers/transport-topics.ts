import { createTopics as create } from './topics.js';

/** Creates topics (ignoring ones that exist) so consumers can subscribe before anything is produced. */
export function createTopics(topics: string[], partitions = 1): Promise<void> {
  return create(topics, partitions, { ignoreExisting: true });
}

/** Waits until `check()` is true, polling every 50 ms; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
