// Small network helpers for the demo: free ports and waiting for a service to answer.
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves true if nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** `preferred` if it is free, else a port the OS picks on host. */
export async function freePort(preferred, host = '127.0.0.1') {
  if (preferred && (await isPortFree(preferred, host))) return preferred;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Calls `probe` until it resolves truthy, every `intervalMs`, for at most `timeoutMs`.
 * `abort()` returning a string stops waiting early with that reason (e.g. "the process exited").
 * @returns the probe's truthy value
 */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 250, abort = () => undefined } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    const reason = abort();
    if (reason) throw new Error(`${what}: ${reason}`);
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${what}: no answer after ${Math.round(timeoutMs / 1000)}s${detail}`);
    }
    await sleep(intervalMs);
  }
}

/** True if GET url answers 200 within two seconds. */
export async function answers200(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status === 200;
}
