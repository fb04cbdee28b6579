// Process and port helpers shared by the embedded broker and schema registry harnesses.
import fs from 'node:fs';
import net from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** True when `pid` runs a command line containing every marker (pids are reused, so the command is checked). */
export function processMatches(pid, ...markers) {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return markers.every((m) => cmd.includes(m));
  } catch {
    return false;
  }
}

export function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves true when something accepts TCP connections on host:port. */
export function portInUse(port, host) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Waits until `isRunning()` turns false; resolves whether it did within `timeoutMs`. */
export async function waitForExit(isRunning, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!isRunning()) return true;
    await sleep(200);
  }
  return !isRunning();
}
