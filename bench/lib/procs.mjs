// Processes the bench starts and watches: free ports, server processes with their output kept,
// and what /proc says about them (resident memory, CPU time).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Every server process started and still running; killed if the runner exits without stopping them. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process in bytes (VmRSS), or undefined once it is gone. */
export function rssBytes(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU time a process has used, ms (from /proc/<pid>/stat), or 0 once it is gone. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Write-type system calls (write, writev, sendmsg...) a process has made (/proc/<pid>/io syscw), or 0. */
export function writeSyscalls(pid) {
  try {
    return Number(/syscw:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Sleeps `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Spawns a server process, keeps the last 64 KiB of its output, and waits until `readyUrl`
 * answers 200 (at most `timeoutMs`). `stop(signal)` resolves with the exit code or signal.
 */
export async function spawnServer({ command, args, env, readyUrl, name, timeoutMs = 30_000 }) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  running.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve(code ?? signal);
  }));
  const proc = {
    name,
    pid: child.pid,
    child,
    exited,
    output: () => output,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    async stop(signal = 'SIGINT', graceMs = 15_000) {
      if (!proc.running) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  await waitReady(proc, readyUrl, timeoutMs);
  return proc;
}

async function waitReady(proc, readyUrl, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running) throw new Error(`${proc.name} exited before it was ready:\n${proc.output()}`);
    const status = await fetch(readyUrl).then((res) => res.status, () => 0);
    if (status === 200) return;
    await sleep(100);
  }
  await proc.stop('SIGKILL');
  throw new Error(`${proc.name} was not ready within ${timeoutMs} ms:\n${proc.output()}`);
}
