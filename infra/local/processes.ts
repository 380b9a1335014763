import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * Small process and port helpers shared by the local stack's parts.
 */

const livePids = new Set<number>();
let exitHookInstalled = false;

/**
 * Remembers a child process id so that it is killed when this Node process exits for any
 * reason it can observe (normal end, uncaught exception, process.exit from a signal
 * handler). SIGKILL of Node itself is covered separately by the DynamoDB Local wrapper.
 */
export function killOnExit(pid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous; process.kill is.
    process.on('exit', () => {
      for (const child of livePids) {
        try {
          process.kill(child, 'SIGKILL');
        } catch {
          // Already gone: exactly what we wanted.
        }
      }
    });
  }
  livePids.add(pid);
  return () => {
    livePids.delete(pid);
  };
}

/** True while a process with this id exists (signal 0 probes without killing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves once the process is gone, or false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/**
 * A port that is free on every interface right now. Used only where the server cannot be
 * told to pick one itself (DynamoDB Local's jar has no port-0 or host option); the caller
 * retries if someone takes it in between.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    // No host: Node binds the IPv6 wildcard with IPv4 mapped, i.e. every interface, which is
    // where Java will bind too.
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close((error) => (error === undefined ? resolvePort(port) : reject(error)));
    });
  });
}

/** Full path of an executable found on PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory; keep looking.
    }
  }
  return undefined;
}
