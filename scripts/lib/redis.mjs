// Finds or starts the Redis the demo uses: SB_REDIS_URL; the local server on 127.0.0.1:6379
// (SB_DEMO_REDIS_PORT) if it answers PING; else a private `redis-server` on a free port with no
// persistence (Redis holds nothing durable for Switchboard), its folder removed when it stops.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort, waitFor } from './net.mjs';
import { DemoError } from './postgres.mjs';

/** Sends PING over RESP and resolves true on +PONG (or a NOAUTH/ auth error: someone answers, but not to us). */
export function redisPing(url, timeoutMs = 1_500) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    let text = '';
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n')) done(text.startsWith('+PONG'));
    });
  });
}

/** Where redis-server is, or undefined. */
export function redisServerInstalled() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The demo's Redis URL, starting a private redis-server under `ctx.supervisor` when no Redis answers.
 * @param {{root: string, spawn: Function, progress: (line: string) => void, services: object[]}} ctx
 * @returns {Promise<{url: string, description: string, port?: number}>}
 */
export async function resolveRedis(ctx) {
  if (process.env.SB_REDIS_URL) {
    const url = process.env.SB_REDIS_URL;
    if (!(await redisPing(url))) throw new DemoError(`SB_REDIS_URL (${url}) does not answer PING (a password-protected Redis needs its URL with the password)`);
    return { url, description: 'from SB_REDIS_URL' };
  }
  const existingPort = Number(process.env.SB_DEMO_REDIS_PORT ?? 6379);
  const localUrl = `redis://127.0.0.1:${existingPort}`;
  if (await redisPing(localUrl)) return { url: localUrl, description: `the local server on 127.0.0.1:${existingPort}` };
  ctx.progress(`no Redis answers on 127.0.0.1:${existingPort}: starting a private one`);
  if (!redisServerInstalled()) throw new DemoError('no Redis found: set SB_REDIS_URL, or install it with:\n  apt-get install -y redis-server\nand run npm run demo again');
  const port = await freePort(6390);
  const dir = join(ctx.root, '.run', 'demo', 'redis');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  const child = ctx.spawn('redis', 'redis-server', args, { cwd: dir, logFile: join(ctx.root, '.run', 'demo', 'logs', 'redis.log'), stopTimeoutMs: 10_000 });
  ctx.services.push({ name: 'redis', port, pid: child.proc.pid, dir });
  const url = `redis://127.0.0.1:${port}`;
  await waitFor('Redis', () => redisPing(url), {
    timeoutMs: 20_000,
    intervalMs: 100,
    abort: () => child.exited && `it exited; see ${child.logFile}:\n${child.tail.slice(-12).join('\n')}`,
  });
  // Its folder holds nothing worth keeping: removed once it has stopped.
  ctx.stack.push({ name: 'Redis folder', run: () => rmSync(dir, { recursive: true, force: true }) });
  return { url, description: `private redis-server on port ${port}`, port };
}
